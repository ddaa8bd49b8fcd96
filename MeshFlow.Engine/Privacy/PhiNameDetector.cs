using System.Text.RegularExpressions;

namespace MeshFlow.Privacy;

/// <summary>Person names, by the heuristic <see cref="PhiScrubber"/> documents.</summary>
internal static class PhiNameDetector
{
    private enum Cue
    {
        Title,
        Strong,
        Weak,
        None,
    }

    // A rejected candidate resumes the search at its name: "Patient Name: Ada Quispe" first offers "Name" after
    // "Patient", and "Name:" is itself a cue. The cue patterns, anchored at the match, tell where the name starts
    // without the allocation of a Match and its groups.
    public static void Cued(string text, Regex pattern, ref PhiCandidates found)
    {
        var linear = (pattern.Options & RegexOptions.NonBacktracking) != 0;
        var at = 0;
        while (at < text.Length)
        {
            var matches = pattern.EnumerateMatches(text, at);
            if (!matches.MoveNext())
            {
                return;
            }

            var match = matches.Current;
            var candidate = text.AsSpan(match.Index, match.Length);
            var (cue, cueLength) = CueOf(candidate, linear);
            var start = match.Index + cueLength;
            var end = cueLength > 0 ? Accept(text, start, match.Index + match.Length, cue) : 0;
            if (end > 0)
            {
                found.Add(start, end, PhiType.Name);
                at = end;
            }
            else
            {
                at = Math.Max(start, match.Index + 1);
            }
        }
    }

    // "Met John Smith" first offers "Met John"; the search resumes inside it.
    public static void Pairs(string text, Regex pattern, ref PhiCandidates found)
    {
        var at = 0;
        while (at < text.Length)
        {
            var matches = pattern.EnumerateMatches(text, at);
            if (!matches.MoveNext())
            {
                return;
            }

            var match = matches.Current;
            var end = PhiText.StartsToken(text, match.Index, "") ? Accept(text, match.Index, match.Index + match.Length, Cue.None) : 0;
            if (end > 0)
            {
                found.Add(match.Index, end, PhiType.Name);
                at = end;
            }
            else
            {
                at = match.Index + 1;
            }
        }
    }

    // Tried in the order of the alternation in CuedName, so the cue found is the one the match was made with.
    private static (Cue Cue, int Length) CueOf(ReadOnlySpan<char> candidate, bool linear)
    {
        var length = PrefixLength(PhiPatterns.TitleCuePrefix(), candidate, linear);
        if (length > 0)
        {
            return (Cue.Title, length);
        }

        length = PrefixLength(PhiPatterns.StrongCuePrefix(), candidate, linear);
        return length > 0 ? (Cue.Strong, length) : (Cue.Weak, PrefixLength(PhiPatterns.WeakCuePrefix(), candidate, linear));
    }

    private static int PrefixLength(Regex prefix, ReadOnlySpan<char> candidate, bool linear)
    {
        foreach (var match in (linear ? PhiPatterns.Linear(prefix) : prefix).EnumerateMatches(candidate))
        {
            return match.Length;
        }

        return 0;
    }

    // Returns where the name ends, or 0 when the words are not a name. Words that are not names are dropped from the
    // end ("Dr. Smith Today"); a name cued weakly or not at all must be names throughout, and must not be the start of
    // an institution's name ("Austin Regional Clinic").
    private static int Accept(string text, int start, int end, Cue cue)
    {
        var span = text.AsSpan(start, end - start);
        if (cue is Cue.Weak or Cue.None && span.Contains(','))
        {
            span = span[..span.IndexOf(',')];
        }

        var first = ReadOnlySpan<char>.Empty;
        var words = 0;
        var keptEnd = 0;
        var skipped = false;
        var interiorSkip = false;
        var trailingInstitution = false;
        foreach (var range in span.SplitAny(" ,"))
        {
            var word = span[range];
            if (word.IsEmpty)
            {
                continue;
            }

            if (first.IsEmpty)
            {
                first = word;
            }

            if (PhiNames.IsNotAName(word))
            {
                skipped = true;
                trailingInstitution |= PhiNames.IsInstitution(word);
                continue;
            }

            interiorSkip |= skipped;
            trailingInstitution = false;
            words += word is [_, '.'] ? 0 : 1;
            keptEnd = range.End.GetOffset(span.Length);
        }

        if (words == 0 || PhiNames.IsNotAName(first))
        {
            return 0;
        }

        var accepted = cue switch
        {
            Cue.Title or Cue.Strong => true,
            Cue.Weak => PhiNames.IsGivenName(first) || (words >= 2 && !interiorSkip),
            _ => PhiNames.IsGivenName(first) && words >= 2 && !interiorSkip,
        };

        var institution = trailingInstitution || PhiNames.IsInstitution(PhiText.WordAfter(text, start + span.Length));
        return accepted && !(cue is Cue.Weak or Cue.None && institution) ? start + keptEnd : 0;
    }
}
