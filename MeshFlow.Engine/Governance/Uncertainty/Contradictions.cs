using System.Globalization;

namespace MeshFlow.Governance.Uncertainty;

/// <summary>Whether an output takes the opposite stance to the step's previous output in a loop.</summary>
internal static class Contradictions
{
    /// <summary>Numbers are compared only when both outputs are short answers; longer texts cite many numbers.</summary>
    public const int ShortAnswer = 280;

    private static readonly string[] s_yes = ["yes", "yeah", "yep", "correct", "true", "approved", "right", "confirmed"];
    private static readonly string[] s_no = ["no", "nope", "incorrect", "false", "rejected", "wrong", "denied"];

    private static readonly string[] s_negativeVerdicts =
    [
        "rejected", "denied", "false", "invalid", "incorrect", "noncompliant", "non-compliant", "unenforceable",
        "failed", "fails", "unsafe", "declined", "ineligible", "prohibited", "forbidden", "refuted",
    ];

    public static bool Between(ReadOnlySpan<char> previous, ReadOnlySpan<char> current)
    {
        var before = Stance(previous);
        var now = Stance(current);
        if (before != 0 && now != 0)
        {
            return before != now;
        }

        return previous.Length <= ShortAnswer && current.Length <= ShortAnswer
            && FirstNumber(previous) is { } a && FirstNumber(current) is { } b && a != b;
    }

    /// <summary>+1 for a yes/approved/true answer, -1 for a no/rejected/false one, 0 when it takes no stance.</summary>
    internal static int Stance(ReadOnlySpan<char> text)
    {
        // A leading "Yes," or "No." is the answer; "No issues found" is not a "no".
        var start = 0;
        while (start < text.Length && !char.IsLetterOrDigit(text[start]))
        {
            start++;
        }

        var end = start;
        while (end < text.Length && char.IsLetter(text[end]))
        {
            end++;
        }

        var first = text[start..end];
        var answered = end == text.Length || text[end] is ',' or '.' or '!' or ';' or ':' or '-' or '—';
        if (answered && Contains(s_yes, first))
        {
            return 1;
        }

        if (answered && Contains(s_no, first))
        {
            return -1;
        }

        var verdict = UncertaintyPatterns.FirstVerdict(text);
        if (!verdict.IsEmpty)
        {
            var space = verdict.LastIndexOfAny(" \t\r\n");
            var word = space < 0 ? verdict : verdict[(space + 1)..];
            var negative = Contains(s_negativeVerdicts, word);
            return negative == (space >= 0) ? 1 : -1;
        }

        return 0;
    }

    /// <summary>The first number that is not a list marker ("1. ", "2) " at the start of a line).</summary>
    internal static decimal? FirstNumber(ReadOnlySpan<char> text)
    {
        var position = 0;
        while (position < text.Length)
        {
            if (!char.IsAsciiDigit(text[position]))
            {
                position++;
                continue;
            }

            var start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position])
                || (text[position] is ',' or '.' && position + 1 < text.Length && char.IsAsciiDigit(text[position + 1]))))
            {
                position++;
            }

            var atLineStart = LineStartBefore(text, start);
            var marker = atLineStart && position + 1 < text.Length && text[position] is '.' or ')' && text[position + 1] == ' ';
            if (!marker && decimal.TryParse(text[start..position], NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
            {
                return start > 0 && text[start - 1] == '-' ? -number : number;
            }
        }

        return null;
    }

    private static bool LineStartBefore(ReadOnlySpan<char> text, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (text[i] == '\n')
            {
                return true;
            }

            if (!char.IsWhiteSpace(text[i]) && text[i] is not ('-' or '*' or '#'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(string[] words, ReadOnlySpan<char> word)
    {
        foreach (var candidate in words)
        {
            if (word.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
