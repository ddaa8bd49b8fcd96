using System.Buffers;
using System.Text.RegularExpressions;

namespace MeshFlow.Privacy;

/// <summary>The identifiers recognized by their shape alone: each pattern's candidates, checked in code.</summary>
/// <remarks>
/// Each check rejects a candidate that continues into a longer token (a digit, a letter, or a joiner such as <c>-</c>
/// or <c>.</c> followed by a digit), so a phone number is not ten digits inside a longer number and an IP address is
/// not the first four parts of a five-part version.
/// </remarks>
internal static class PhiShapeDetectors
{
    private const string Dashes = "-./";

    private static readonly SearchValues<char> LabelBreaks = SearchValues.Create("0123456789\n;");
    private static readonly SearchValues<string> MonthHints = SearchValues.Create(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], StringComparison.OrdinalIgnoreCase);

    private static readonly string[] PhoneWords = ["phone", "tel", "cell", "mobile", "call", "pager"];

    public static void Ssn(string text, Regex pattern, ref PhiCandidates found)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            var end = match.Index + match.Length;
            if (PhiText.StartsToken(text, match.Index, Dashes) && PhiText.EndsToken(text, end, Dashes)
                && PhiChecks.Ssn(text.AsSpan(match.Index, match.Length)))
            {
                found.Add(match.Index, end, PhiType.Ssn);
            }
        }
    }

    // A date range ("03/14/2024-03/20/2024") joins two dates with a dash; the dash does not make them one token.
    public static void NumericDate(string text, Regex pattern, ref PhiCandidates found)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            var end = match.Index + match.Length;
            var value = text.AsSpan(match.Index, match.Length);
            var timeFollows = end + 1 < text.Length && text[end] == 'T' && char.IsAsciiDigit(text[end + 1]);
            if (PhiText.StartsToken(text, match.Index, "./") && (timeFollows || PhiText.EndsToken(text, end, "./"))
                && (value.Count('/') + value.Count('-') + value.Count('.') == 2
                    ? PhiDates.IsNumeric(value) && !PhiText.FollowsVersionWord(text, match.Index)
                    : PhiDates.IsMonthAndDay(value) && PhiText.FollowsDateWord(text, match.Index)))
            {
                found.Add(match.Index, end, PhiType.Date);
            }
        }
    }

    // Every written date holds a month's first three letters; text without any skips the pattern.
    public static void WrittenDate(string text, Regex pattern, ref PhiCandidates found)
    {
        if (!text.AsSpan().ContainsAny(MonthHints))
        {
            return;
        }

        foreach (var match in pattern.EnumerateMatches(text))
        {
            var end = match.Index + match.Length;
            if (PhiText.StartsToken(text, match.Index, "") && PhiText.EndsToken(text, end, "./")
                && PhiDates.IsWritten(text.AsSpan(match.Index, match.Length)))
            {
                found.Add(match.Index, end, PhiType.Date);
            }
        }
    }

    public static void Phone(string text, Regex pattern, ref PhiCandidates found)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            var end = match.Index + match.Length;
            if (PhiText.StartsToken(text, match.Index, Dashes) && PhiText.EndsToken(text, end, Dashes))
            {
                found.Add(match.Index, end, IsFax(text, match.Index) ? PhiType.Fax : PhiType.Phone);
            }
        }
    }

    // A port (":8080") or a prefix length ("/24") may follow an address; another dotted part may not.
    public static void IPv4(string text, Regex pattern, ref PhiCandidates found)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            var end = match.Index + match.Length;
            if (PhiText.StartsToken(text, match.Index, ".") && PhiText.EndsToken(text, end, ".")
                && PhiChecks.IPv4(text.AsSpan(match.Index, match.Length)) && !PhiText.FollowsVersionWord(text, match.Index))
            {
                found.Add(match.Index, end, PhiType.IpAddress);
            }
        }
    }

    // A rejected candidate may hide an address that starts inside it ("ipv6:fe80::1" first offers "6:fe80::1"), so the
    // search resumes one character in rather than after it.
    public static void IPv6(string text, Regex pattern, ref PhiCandidates found)
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
            var end = match.Index + match.Length;
            if (PhiText.StartsToken(text, match.Index, "") && PhiText.EndsToken(text, end, ".")
                && PhiChecks.IPv6(text.AsSpan(match.Index, match.Length)) && !PhiText.FollowsVersionWord(text, match.Index))
            {
                found.Add(match.Index, end, PhiType.IpAddress);
                at = end;
            }
            else
            {
                at = match.Index + 1;
            }
        }
    }

    public static void Mac(string text, Regex pattern, ref PhiCandidates found)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            var end = match.Index + match.Length;
            var value = text.AsSpan(match.Index, match.Length);
            if (PhiText.StartsToken(text, match.Index, ":-") && PhiText.EndsToken(text, end, ":-")
                && value.Count(value[2]) == 5)
            {
                found.Add(match.Index, end, PhiType.Device);
            }
        }
    }

    public static void Vin(string text, Regex pattern, ref PhiCandidates found)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            var end = match.Index + match.Length;
            var value = text.AsSpan(match.Index, match.Length);
            if (value.Length == 17 && PhiText.StartsToken(text, match.Index, "") && PhiText.EndsToken(text, end, "")
                && value.IndexOfAnyInRange('A', 'Z') >= 0 && PhiChecks.VinCheckDigit(value))
            {
                found.Add(match.Index, end, PhiType.Vehicle);
            }
        }
    }

    public static void Card(string text, Regex pattern, ref PhiCandidates found)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            var end = match.Index + match.Length;
            var value = text.AsSpan(match.Index, match.Length);
            if (PhiText.StartsToken(text, match.Index, "-") && PhiText.EndsToken(text, end, "-")
                && !(value.Contains(' ') && value.Contains('-')) && PhiChecks.CardNumber(value))
            {
                found.Add(match.Index, end, PhiType.CardNumber);
            }
        }
    }

    // The pattern takes the state in front; the ZIP code is the match's last five or ten characters.
    public static void Zip(string text, Regex pattern, ref PhiCandidates found)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            var end = match.Index + match.Length;
            var start = end - (text[end - 5] == '-' ? 10 : 5);
            if (PhiText.EndsToken(text, end, "-."))
            {
                found.Add(start, end, PhiType.Zip);
            }
        }
    }

    /// <summary>True when the label nearest before a phone number, on its line and after any earlier number, is "fax".</summary>
    public static bool IsFax(ReadOnlySpan<char> text, int start)
    {
        var from = Math.Max(0, start - 40);
        var window = text[from..start];
        var cut = window.LastIndexOfAny(LabelBreaks);
        window = window[(cut + 1)..];
        var fax = window.LastIndexOf("fax", StringComparison.OrdinalIgnoreCase);
        if (fax < 0)
        {
            return false;
        }

        var phone = -1;
        foreach (var word in PhoneWords)
        {
            phone = Math.Max(phone, window.LastIndexOf(word, StringComparison.OrdinalIgnoreCase));
        }

        return fax > phone;
    }
}
