namespace MeshFlow.Governance.Guardian;

/// <summary>Where a URL ends in running text, what host it names, and whether it carries data out.</summary>
/// <remarks>
/// <para>A query carries data when one of its values has a run of 17 or more base64 or hex characters with letters
/// and digits (or with <c>+</c>, <c>/</c>, <c>=</c>), or 24 or more mixed-case letters; when it holds percent-encoded
/// text (three escapes or more in one value); or when it is longer than 40 characters and one value is 16 or longer.
/// Short parameters (<c>?w=600&amp;h=400</c>, <c>?style=flat-square&amp;logo=github</c>, <c>?v=3f2a9c1e</c>) do
/// not.</para>
/// <para>For images, a path segment carries data when it is base64-like (32 characters or more, mixed case or with
/// <c>+</c>, <c>/</c>, <c>=</c>) or percent-encoded text. Hex segments do not: commit SHAs and content digests are the
/// common case in image paths.</para>
/// </remarks>
internal static class UrlSpans
{
    private const int MaxUrl = 8192;

    private const int MinDataRun = 17;

    /// <summary>The end of the URL that starts at <paramref name="start"/>: before whitespace, quotes or angle brackets, without trailing punctuation.</summary>
    public static int End(string text, int start)
    {
        var end = start;
        var parens = 0;
        while (end < text.Length && end - start < MaxUrl)
        {
            var c = text[end];
            if (char.IsWhiteSpace(c) || c is '"' or '\'' or '<' or '>' or '`' or '[' or ']' or '{' or '}' or '|' or '\\')
            {
                break;
            }

            if (c == '(')
            {
                parens++;
            }
            else if (c == ')' && --parens < 0)
            {
                break;
            }

            end++;
        }

        while (end > start && text[end - 1] is '.' or ',' or ';' or ':' or '!' or '?' or '*')
        {
            end--;
        }

        return end;
    }

    /// <summary>The authority and everything after it (<c>host/path?query</c>) of an absolute or protocol-relative URL.</summary>
    public static bool TryGetAfterScheme(ReadOnlySpan<char> url, out ReadOnlySpan<char> afterScheme)
    {
        afterScheme = default;
        if (url.StartsWith("//"))
        {
            afterScheme = url[2..];
            return !afterScheme.IsEmpty;
        }

        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return false;
        }

        foreach (var c in url[..separator])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-'))
            {
                return false;
            }
        }

        afterScheme = url[(separator + 3)..];
        return !afterScheme.IsEmpty;
    }

    /// <summary>True when the URL's query (or, for an image, a path segment) looks like it carries data.</summary>
    public static bool CarriesData(ReadOnlySpan<char> afterScheme, bool image)
    {
        var fragment = afterScheme.IndexOf('#');
        var url = fragment < 0 ? afterScheme : afterScheme[..fragment];
        var question = url.IndexOf('?');
        var query = question < 0 ? default : url[(question + 1)..];
        if (QueryCarriesData(query))
        {
            return true;
        }

        if (!image)
        {
            return false;
        }

        var path = question < 0 ? url : url[..question];
        var slash = path.IndexOf('/');
        if (slash < 0)
        {
            return false;
        }

        foreach (var range in path[(slash + 1)..].Split('/'))
        {
            var segment = path[(slash + 1)..][range];
            if (PercentEscapes(segment) >= 3 || IsBase64Segment(segment))
            {
                return true;
            }
        }

        return false;
    }

    private static bool QueryCarriesData(ReadOnlySpan<char> query)
    {
        if (query.IsEmpty)
        {
            return false;
        }

        var longest = 0;
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            var value = equals < 0 ? pair : pair[(equals + 1)..];
            longest = Math.Max(longest, value.Length);
            if (PercentEscapes(value) >= 3 || HasDataRun(value))
            {
                return true;
            }
        }

        return query.Length > 40 && longest >= 16;
    }

    // A run of base64/hex characters long enough to hold data, with the variety encoded data has.
    private static bool HasDataRun(ReadOnlySpan<char> value)
    {
        int length = 0, digits = 0, upper = 0, lower = 0, symbols = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            var c = i < value.Length ? value[i] : ' ';
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '_' || (c == '%' && i + 2 < value.Length))
            {
                length++;
                digits += char.IsAsciiDigit(c) ? 1 : 0;
                upper += char.IsAsciiLetterUpper(c) ? 1 : 0;
                lower += char.IsAsciiLetterLower(c) ? 1 : 0;
                symbols += c is '+' or '/' or '=' or '%' ? 1 : 0;
                continue;
            }

            var letters = upper + lower;
            if (length >= MinDataRun && ((digits > 0 && letters > 0) || (symbols > 0 && letters > 0) || (upper >= 4 && lower >= 4 && length >= 24)))
            {
                return true;
            }

            (length, digits, upper, lower, symbols) = (0, 0, 0, 0, 0);
        }

        return false;
    }

    private static bool IsBase64Segment(ReadOnlySpan<char> segment)
    {
        if (segment.Length < 32)
        {
            return false;
        }

        bool upper = false, lower = false, symbol = false;
        foreach (var c in segment)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '_' or '-'))
            {
                return false;
            }

            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
            symbol |= c is '+' or '=';
        }

        return (upper && lower) || symbol;
    }

    private static int PercentEscapes(ReadOnlySpan<char> value)
    {
        var count = 0;
        for (var i = 0; i + 2 < value.Length; i++)
        {
            if (value[i] == '%' && char.IsAsciiHexDigit(value[i + 1]) && char.IsAsciiHexDigit(value[i + 2]))
            {
                count++;
            }
        }

        return count;
    }
}
