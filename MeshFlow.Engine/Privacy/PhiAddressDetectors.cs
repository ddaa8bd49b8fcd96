using System.Buffers;

namespace MeshFlow.Privacy;

/// <summary>Email and web addresses, found from their anchors (<c>@</c>, <c>http://</c>, <c>www.</c>) outward.</summary>
/// <remarks>
/// Scanning out from an anchor is linear in the text, where a pattern that starts with the local part of an address
/// would retry it at every letter. Neither kind of address takes a double quote, a backslash or whitespace, so a JSON
/// string's closing quote or escape ends it.
/// </remarks>
internal static class PhiAddressDetectors
{
    private const int MaxLocalPart = 64;
    private const int MaxDomain = 253;

    private static readonly SearchValues<string> UrlStarts =
        SearchValues.Create(["http://", "https://", "www."], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<char> LocalPart =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-");

    private static readonly SearchValues<char> Domain =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");

    private static readonly SearchValues<char> NotInUrl = SearchValues.Create("\"\\<>`{}|^");

    public static void Email(string text, ref PhiCandidates found)
    {
        var span = text.AsSpan();
        var from = 0;
        while (from < span.Length)
        {
            var at = span[from..].IndexOf('@');
            if (at < 0)
            {
                return;
            }

            at += from;
            var start = at;
            while (start > from && at - start < MaxLocalPart && IsIn(LocalPart, span[start - 1]))
            {
                start--;
            }

            start = PhiText.SkipEscape(span, start);
            while (start < at && span[start] == '.')
            {
                start++;
            }

            var end = at + 1;
            while (end < span.Length && end - at <= MaxDomain && IsIn(Domain, span[end]))
            {
                end++;
            }

            while (end > at + 1 && span[end - 1] is '.' or '-')
            {
                end--;
            }

            if (start < at && IsDomain(span[(at + 1)..end]))
            {
                found.Add(start, end, PhiType.Email);
                from = end;
            }
            else
            {
                from = at + 1;
            }
        }
    }

    public static void Url(string text, ref PhiCandidates found)
    {
        var span = text.AsSpan();
        var from = 0;
        while (from < span.Length)
        {
            var index = span[from..].IndexOfAny(UrlStarts);
            if (index < 0)
            {
                return;
            }

            // The boundary is checked before the scan: a rejected start after a long scan would make text such as
            // "xhttp://xhttp://..." quadratic.
            var start = from + index;
            if (!PhiText.StartsToken(span, start, ""))
            {
                from = start + 1;
                continue;
            }

            var end = start;
            while (end < span.Length && span[end] > ' ' && !char.IsWhiteSpace(span[end]) && !NotInUrl.Contains(span[end]))
            {
                end++;
            }

            end = TrimTrailingPunctuation(span[start..end]) + start;
            var scheme = span[start] is 'w' or 'W' ? 4 : span[start..].IndexOf("//", StringComparison.Ordinal) + 2;
            if (end - start > scheme + 1 && HasLetterOrDigit(span[(start + scheme)..end]))
            {
                found.Add(start, end, PhiType.Url);
                from = end;
            }
            else
            {
                from = start + 1;
            }
        }
    }

    private static bool HasLetterOrDigit(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    // Addresses may hold letters beyond ASCII (RFC 6531): "núñez@example.org" is not left as "nú" and "ñez@...".
    private static bool IsIn(SearchValues<char> ascii, char c) => c < 128 ? ascii.Contains(c) : char.IsLetterOrDigit(c);

    // Labels of letters, digits and hyphens, at least two of them, the last of two letters or more.
    private static bool IsDomain(ReadOnlySpan<char> domain)
    {
        var lastDot = domain.LastIndexOf('.');
        if (lastDot <= 0 || domain.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        var top = domain[(lastDot + 1)..];
        foreach (var c in top)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }

        return top.Length is >= 2 and <= 24;
    }

    // A sentence's full stop or a closing bracket ends the sentence, not the address; a bracket the address opened
    // stays ("https://en.wikipedia.org/wiki/Foo_(bar)").
    private static int TrimTrailingPunctuation(ReadOnlySpan<char> url)
    {
        var (opened, closed) = (url.Count('('), url.Count(')'));
        var end = url.Length;
        while (end > 0)
        {
            var last = url[end - 1];
            if (last is '.' or ',' or ';' or ':' or '!' or '?' or '\'' or ']' or '}')
            {
                end--;
            }
            else if (last == ')' && opened < closed)
            {
                end--;
                closed--;
            }
            else
            {
                break;
            }
        }

        return end;
    }
}
