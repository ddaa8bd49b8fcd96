namespace MeshFlow.Privacy;

/// <summary>Where an identifier may start and end: word boundaries that know about JSON escapes.</summary>
/// <remarks>
/// Scrubbed text is often a serialized document. An escape such as <c>\n</c> glues a letter to the word after it, so a
/// boundary check that ignored escapes would miss <c>\nJohn Smith</c>, and a match that began on the escape's letter
/// would leave a lone backslash in front of the marker, which is not valid JSON.
/// </remarks>
internal static class PhiText
{
    // A run of backslashes longer than this is not text anyone writes; its parity is judged on this many.
    private const int MaxBackslashRun = 64;

    private static readonly string[] DateWords =
    [
        "on", "since", "seen", "admitted", "admit", "discharged", "dob", "dos", "dated", "date", "visit", "until", "through",
        "thru", "from", "before", "after", "starting", "started", "scheduled", "born", "due", "effective",
    ];

    /// <summary>True when the character at <paramref name="index"/> is escaped by the backslashes in front of it.</summary>
    public static bool IsEscaped(ReadOnlySpan<char> text, int index)
    {
        var run = 0;
        for (var i = index - 1; i >= 0 && text[i] == '\\' && run < MaxBackslashRun; i--)
        {
            run++;
        }

        return (run & 1) == 1;
    }

    /// <summary>True when the text before <paramref name="index"/> ends with a complete escape (<c>\n</c>, <c>\u00e9</c>).</summary>
    public static bool EscapeEndsAt(ReadOnlySpan<char> text, int index)
    {
        if (index >= 2 && text[index - 2] == '\\' && text[index - 1] != 'u' && !IsEscaped(text, index - 2))
        {
            return true;
        }

        return index >= 6 && text[index - 6] == '\\' && text[index - 5] == 'u' && IsHex(text.Slice(index - 4, 4))
            && !IsEscaped(text, index - 6);
    }

    /// <summary>The first index at or after <paramref name="start"/> that is not part of an escape sequence.</summary>
    public static int SkipEscape(ReadOnlySpan<char> text, int start)
    {
        for (var back = 1; back <= 5 && start - back >= 0; back++)
        {
            var slash = start - back;
            if (text[slash] == '\\' && slash + 5 < text.Length && text[slash + 1] == 'u'
                && IsHex(text.Slice(slash + 2, 4)) && !IsEscaped(text, slash))
            {
                return slash + 6;
            }
        }

        return start > 0 && start < text.Length && text[start - 1] == '\\' && !IsEscaped(text, start - 1) ? start + 1 : start;
    }

    /// <summary>
    /// True when nothing in front of <paramref name="start"/> continues the token: no letter or digit, and no joiner
    /// (one of <paramref name="joiners"/>) with a digit before it, as in <c>1-</c> of <c>1-123-45-6789</c>.
    /// </summary>
    public static bool StartsToken(ReadOnlySpan<char> text, int start, ReadOnlySpan<char> joiners)
    {
        if (start == 0 || EscapeEndsAt(text, start))
        {
            return true;
        }

        var before = text[start - 1];
        if (char.IsLetterOrDigit(before) || before is '_' or '+')
        {
            return false;
        }

        return !(joiners.Contains(before) && start >= 2 && char.IsAsciiDigit(text[start - 2]));
    }

    /// <summary>
    /// True when nothing after <paramref name="end"/> continues the token: no letter or digit, and no joiner followed by
    /// a digit.
    /// </summary>
    public static bool EndsToken(ReadOnlySpan<char> text, int end, ReadOnlySpan<char> joiners)
    {
        if (end >= text.Length)
        {
            return true;
        }

        var after = text[end];
        if (char.IsLetterOrDigit(after) || after == '_')
        {
            return false;
        }

        return !(joiners.Contains(after) && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1]));
    }

    /// <summary>True when the text before <paramref name="start"/> calls what follows a version or a build.</summary>
    public static bool FollowsVersionWord(ReadOnlySpan<char> text, int start)
    {
        var word = WordBefore(text, start);
        return word.Equals("v", StringComparison.OrdinalIgnoreCase)
            || word.Equals("ver", StringComparison.OrdinalIgnoreCase)
            || word.Equals("version", StringComparison.OrdinalIgnoreCase)
            || word.Equals("release", StringComparison.OrdinalIgnoreCase)
            || word.Equals("build", StringComparison.OrdinalIgnoreCase)
            || word.Equals("rev", StringComparison.OrdinalIgnoreCase)
            || word.Equals("revision", StringComparison.OrdinalIgnoreCase)
            || word.Equals("firmware", StringComparison.OrdinalIgnoreCase)
            || word.Equals("software", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// True when the word before <paramref name="start"/> says a date follows ("on", "since", "seen", "admitted", "DOB"),
    /// which a month and day without a year need to be told from a fraction or a score.
    /// </summary>
    public static bool FollowsDateWord(ReadOnlySpan<char> text, int start)
    {
        var word = WordBefore(text, start);
        foreach (var dateWord in DateWords)
        {
            if (word.Equals(dateWord, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The word in front of <paramref name="start"/>, across a few spaces and a <c>:</c>, <c>#</c> or <c>.</c>.</summary>
    public static ReadOnlySpan<char> WordBefore(ReadOnlySpan<char> text, int start)
    {
        var end = start;
        for (var gap = 0; end > 0 && gap < 4 && text[end - 1] is ' ' or ':' or '#' or '.' or '='; gap++)
        {
            end--;
        }

        var begin = end;
        while (begin > 0 && end - begin < 16 && char.IsAsciiLetter(text[begin - 1]))
        {
            begin--;
        }

        return begin > 0 && char.IsLetter(text[begin - 1]) ? [] : text[begin..end];
    }

    /// <summary>The word after <paramref name="end"/>, past one space.</summary>
    public static ReadOnlySpan<char> WordAfter(ReadOnlySpan<char> text, int end)
    {
        if (end >= text.Length || text[end] != ' ')
        {
            return [];
        }

        var begin = end + 1;
        var stop = begin;
        while (stop < text.Length && stop - begin < 32 && (char.IsLetter(text[stop]) || text[stop] == '\''))
        {
            stop++;
        }

        return text[begin..stop];
    }

    private static bool IsHex(ReadOnlySpan<char> chars)
    {
        foreach (var c in chars)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
