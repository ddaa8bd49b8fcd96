namespace MeshFlow.Governance.Collusion;

/// <summary>Whether an output approves what it was given.</summary>
/// <remarks>
/// The verdict is read where reviewers put it: the first and the last non-empty line, and any line in the compared
/// head that starts with verdict, decision, status, result, outcome or recommendation (each read up to 300
/// characters). Reading the whole output would take an echoed input's own words ("the board will approve the budget")
/// for a verdict. An output approves when one of those lines says approved, approve, LGTM, looks good, ship it, or no
/// (further) changes (or revisions, fixes), and none of them rejects: reject, revise, disapprove, deny, decline, veto,
/// changes or revisions requested, needed or required, needs work, not ready, or an approval word negated by one of
/// the two words before it (not approved, can't approve, doesn't look good). "Please approve" and "for approval" ask;
/// they do not approve.
/// </remarks>
internal static class Approvals
{
    private const int MaxLine = 300;

    private static readonly HashSet<string> s_verdictLabels =
        ["verdict", "decision", "status", "result", "outcome", "recommendation"];

    private static readonly HashSet<string> s_rejections =
    [
        "reject", "rejected", "rejects", "rejecting", "rejection", "revise", "disapprove", "disapproved", "deny",
        "denied", "decline", "declined", "veto", "vetoed",
    ];

    private static readonly HashSet<string> s_negations =
    [
        "not", "never", "cannot", "can't", "don't", "doesn't", "didn't", "won't", "isn't", "wasn't", "aren't",
        "wouldn't", "shouldn't", "couldn't", "unable", "hardly", "nor",
    ];

    private static readonly HashSet<string> s_asks = ["please", "to", "and", "kindly", "for", "awaiting", "pending"];
    private static readonly HashSet<string> s_changeNouns = ["changes", "change", "revision", "revisions", "fixes", "rework"];
    private static readonly HashSet<string> s_changeAsks = ["requested", "needed", "required", "necessary", "request", "requests", "requesting", "needs", "need", "requires", "require"];

    /// <summary>Whether the output approves, reading its head up to <paramref name="maxChars"/> and its very last line.</summary>
    public static bool Approves(string output, int maxChars)
    {
        // The closing verdict of a long output is past the compared head, so the last line is read from the real end.
        var whole = output.AsSpan().TrimEnd();
        var last = whole[(whole.LastIndexOf('\n') + 1)..].Trim();
        if (last.IsEmpty)
        {
            return false;
        }

        var closing = Verdict(last.Length > MaxLine ? last[^MaxLine..] : last);
        if (closing < 0)
        {
            return false;
        }

        var head = CollusionText.Capped(output, maxChars);
        var approves = closing > 0;
        var first = true;
        foreach (var range in head.Split('\n'))
        {
            var line = head[range].Trim();
            if (line.IsEmpty || !(first || StartsWithLabel(line)))
            {
                continue;
            }

            first = false;
            var verdict = Verdict(line.Length > MaxLine ? line[..MaxLine] : line);
            if (verdict < 0)
            {
                return false;
            }

            approves |= verdict > 0;
        }

        return approves;
    }

    /// <summary>+1 when the line approves, -1 when it rejects (rejection wins), 0 when it says neither.</summary>
    private static int Verdict(ReadOnlySpan<char> line)
    {
        var words = Words(line);
        var verdict = 0;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var next = i + 1 < words.Count ? words[i + 1] : string.Empty;
            if (s_rejections.Contains(word) || (word is "needs" or "need" && next is "work") || (word is "not" && next is "ready"))
            {
                return -1;
            }

            if (s_changeNouns.Contains(word))
            {
                if (Before(words, i, 2, static w => w is "no" or "without"))
                {
                    verdict = 1;
                }
                else if (s_changeAsks.Contains(next) || (i > 0 && s_changeAsks.Contains(words[i - 1])))
                {
                    return -1;
                }

                continue;
            }

            var approval = word switch
            {
                "approved" or "approves" or "lgtm" => true,
                "approve" => !(i > 0 && s_asks.Contains(words[i - 1])),
                "looks" or "look" or "looking" => next is "good",
                "ship" => next is "it",
                _ => false,
            };

            if (approval)
            {
                if (Before(words, i, 2, s_negations.Contains))
                {
                    return -1;
                }

                verdict = 1;
            }
        }

        return verdict;
    }

    private static bool Before(List<string> words, int index, int count, Func<string, bool> test)
    {
        for (var i = Math.Max(0, index - count); i < index; i++)
        {
            if (test(words[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithLabel(ReadOnlySpan<char> line)
    {
        var start = 0;
        while (start < line.Length && !char.IsLetter(line[start]))
        {
            start++;
        }

        var end = start;
        while (end < line.Length && char.IsLetter(line[end]))
        {
            end++;
        }

        return end > start && end - start <= 14 && s_verdictLabels.Contains(line[start..end].ToString().ToLowerInvariant());
    }

    // Words keep their apostrophes (typographic ones made plain), so "can't" stays one negation.
    private static List<string> Words(ReadOnlySpan<char> line)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= line.Length; i++)
        {
            var c = i < line.Length ? line[i] : ' ';
            if (char.IsLetterOrDigit(c) || (start >= 0 && c is '\'' or '\u2019'))
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0)
            {
                words.Add(line[start..i].ToString().Replace('\u2019', '\'').Trim('\'').ToLowerInvariant());
                start = -1;
            }
        }

        return words;
    }
}
