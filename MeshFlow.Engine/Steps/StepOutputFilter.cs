using System.Text;
using MeshFlow.Governance;
using MeshFlow.Governance.Guardian;
using MeshFlow.Privacy;

namespace MeshFlow.Steps;

/// <summary>
/// An agent's output on its way out while it streams: held back only until a boundary (the end of a line, or of a
/// sentence) that no identifier, secret or link crosses, then cleaned a segment at a time. With the guardian on,
/// secrets and exfiltration links are stripped from the output itself (what later nodes are given, <see cref="Used"/>);
/// with <c>scrub_phi</c>, what leaves the step (<see cref="Published"/>: the deltas, <c>step_end</c>, the ledger) is
/// also scrubbed. The published deltas add up exactly to <see cref="Published"/>.
/// </summary>
/// <remarks>
/// Each segment is scanned with the end of the text released before it, so that a cue (<c>Dr.</c>, <c>SSN</c>) is
/// seen even when a boundary fell between it and what it marks; and a boundary that a match found in the held text
/// would cross is moved to the match's start.
/// </remarks>
internal sealed class StepOutputFilter
{
    // A segment never waits for more than this much text: past it, the output is cut at a whitespace short of its end
    // that no match crosses.
    private const int MaxHeld = 4_096;

    // How much released text is kept for the scanners to read a cue across a boundary.
    private const int ContextChars = 64;

    // A word this short before a full stop is taken for an abbreviation (Dr. Jan. St.), not a sentence's end.
    private const int MinSentenceWord = 4;

    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "prof", "miss", "mrs", "messrs", "capt", "sgt", "col", "gen", "rev", "hon", "dept", "univ", "corp", "inc", "ltd",
        "sept", "sen", "rep", "gov", "pres", "supt", "insp", "cmdr", "admr",
    };

    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _used = new();
    private readonly StringBuilder _published = new();
    private readonly LeakScanner? _leaks;
    private readonly string _leakAction;
    private readonly bool _scrub;
    private readonly StepCheckContext _check;
    private string _rawContext = string.Empty;
    private string _usedContext = string.Empty;

    private StepOutputFilter(LeakScanner? leaks, string leakAction, bool scrub, StepCheckContext check)
    {
        _leaks = leaks;
        _leakAction = leakAction;
        _scrub = scrub;
        _check = check;
    }

    /// <summary>The step's filter, or null when its output goes out as it is.</summary>
    public static StepOutputFilter? For(StepCheckContext check)
    {
        var policy = check.Policy;
        var guardian = policy.Guardian.Enabled;
        return guardian || policy.ScrubPhi
            ? new StepOutputFilter(guardian ? check.Audit.Leaks : null,
                policy.Guardian.OnLeak == LeakAction.Block ? GuardianFinding.Blocked : GuardianFinding.Stripped, policy.ScrubPhi, check)
            : null;
    }

    /// <summary>The output as the run uses it: secrets and exfiltration links stripped when the guardian is on.</summary>
    public string Used => _used.ToString();

    /// <summary>The output as it leaves the step: <see cref="Used"/>, scrubbed of PHI when the policy says so.</summary>
    public string Published => _published.ToString();

    /// <summary>Takes a delta; the text that may be published now (empty while it is held back).</summary>
    public string Push(string delta)
    {
        var searchedTo = _pending.Length;
        _pending.Append(delta);
        var cut = Boundary(searchedTo);
        return cut > 0 ? Release(cut) : string.Empty;
    }

    /// <summary>The rest of the output, once the model is done.</summary>
    public string Flush() => _pending.Length > 0 ? Release(_pending.Length, final: true) : string.Empty;

    // Releases the held text up to cut, or less when a match would cross it; what may be published of it.
    private string Release(int cut, bool final = false)
    {
        var held = _pending.ToString();
        var window = string.Concat(_rawContext, held);
        var offset = _rawContext.Length;
        var leaks = _leaks?.Find(window) ?? [];
        if (!final)
        {
            cut = Uncrossed(cut, offset, leaks.Select(m => (m.Start, m.Length)));
            if (_scrub)
            {
                cut = Uncrossed(cut, offset, PhiScrubber.Find(window).Select(m => (m.Start, m.Length)));
            }

            if (cut <= 0)
            {
                return string.Empty;
            }
        }

        var segment = held[..cut];
        _pending.Remove(0, cut);
        var used = segment;
        if (leaks.Count > 0)
        {
            var stripped = new StringBuilder(segment.Length);
            var position = 0;
            foreach (var match in leaks)
            {
                var start = match.Start - offset;
                if (start < position || start + match.Length > cut)
                {
                    continue;
                }

                stripped.Append(segment, position, start - position).Append(LeakScanner.Marker(match));
                position = start + match.Length;
                _check.RecordGuardian(new GuardianFinding(match.Label, GuardianSources.Output, _leakAction) { Offset = _used.Length + start });
            }

            used = stripped.Append(segment, position, segment.Length - position).ToString();
        }

        var published = _scrub ? Scrub(used) : used;
        _rawContext = Tail(_rawContext, segment);
        _usedContext = Tail(_usedContext, used);
        _used.Append(used);
        _published.Append(published);
        return published;
    }

    // The segment with the identifiers found in it replaced, read with the text released before it.
    private string Scrub(string segment)
    {
        var window = string.Concat(_usedContext, segment);
        var offset = _usedContext.Length;
        var matches = PhiScrubber.Find(window);
        if (matches.Count == 0)
        {
            return segment;
        }

        var scrubbed = new StringBuilder(segment.Length);
        var position = 0;
        foreach (var match in matches)
        {
            var start = match.Start - offset;
            if (start < position || start + match.Length > segment.Length)
            {
                // A match in the context was released before; one that runs past the segment cannot be (cuts avoid it).
                continue;
            }

            scrubbed.Append(segment, position, start - position).Append(PhiScrubber.Marker(match.Type));
            position = start + match.Length;
        }

        return scrubbed.Append(segment, position, segment.Length - position).ToString();
    }

    // The cut moved back to the start of any match that crosses it (offsets in the window, the held text at offset).
    private static int Uncrossed(int cut, int offset, IEnumerable<(int Start, int Length)> matches)
    {
        foreach (var (start, length) in matches.OrderByDescending(m => m.Start))
        {
            if (start - offset < cut && start + length - offset > cut)
            {
                cut = start - offset;
            }
        }

        return cut;
    }

    private static string Tail(string context, string released)
    {
        var joined = released.Length >= ContextChars ? released : string.Concat(context, released);
        return joined.Length <= ContextChars ? joined : joined[^ContextChars..];
    }

    // Where the held text may be cut: after the last line break or sentence end in what arrived since searchedTo (or,
    // past MaxHeld, its last whitespace), never inside a PEM block that has not ended; 0 when it must wait for more.
    private int Boundary(int searchedTo)
    {
        var text = _pending;
        var limit = text.Length;
        var pem = LastIndexOf(text, "-----BEGIN ");
        if (pem >= 0 && LastIndexOf(text, "-----END ") < pem)
        {
            limit = pem;
        }

        for (var i = limit - 1; i > 0 && i >= searchedTo - 1; i--)
        {
            if (text[i] == '\n' || (char.IsWhiteSpace(text[i]) && text[i - 1] is '.' or '!' or '?' && EndsSentence(text, i - 1)))
            {
                return i + 1;
            }
        }

        if (limit > MaxHeld)
        {
            // The newest text may hold an identifier still arriving: the cut leaves it held.
            for (var i = limit - 1 - ContextChars; i > 0; i--)
            {
                if (char.IsWhiteSpace(text[i]))
                {
                    return i + 1;
                }
            }

            return limit;
        }

        return 0;
    }

    private static bool EndsSentence(StringBuilder text, int stop)
    {
        var start = stop;
        while (start > 0 && !char.IsWhiteSpace(text[start - 1]))
        {
            start--;
        }

        var word = text.ToString(start, stop - start);
        // A dotted abbreviation or number (U.S., 3.5) and a title (Prof.) are not a sentence's end.
        return word.Length >= MinSentenceWord && word.All(char.IsLetterOrDigit) && !Abbreviations.Contains(word);
    }

    private static int LastIndexOf(StringBuilder text, string value)
    {
        for (var i = text.Length - value.Length; i >= 0; i--)
        {
            var match = true;
            for (var j = 0; j < value.Length && match; j++)
            {
                match = text[i + j] == value[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
