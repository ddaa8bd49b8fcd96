using System.Buffers;

namespace MeshFlow.Governance.Risk;

/// <summary>Finds the host a URL or host argument names, and matches it against the allow list, without allocating.</summary>
internal static class HostNames
{
    private static readonly SearchValues<char> s_notInHost = SearchValues.Create(" \t\r\n\"'<>");
    private static readonly SearchValues<char> s_authorityEnd = SearchValues.Create("/?#\\ \t\r\n\"'<>");
    private static readonly SearchValues<char> s_rfcAuthorityEnd = SearchValues.Create("/?# \t\r\n\"'<>");

    /// <summary>
    /// True when <paramref name="text"/> is an absolute URL (<c>scheme://...</c>) other than a <c>file:</c> one, which
    /// names a path; <paramref name="afterScheme"/> is what follows the <c>://</c>.
    /// </summary>
    public static bool IsUrl(ReadOnlySpan<char> text, out ReadOnlySpan<char> afterScheme)
    {
        afterScheme = default;
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0 || !IsScheme(text[..separator]) || text[..separator].Equals("file", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        afterScheme = text[(separator + 3)..];
        return true;
    }

    /// <summary>
    /// True when the host of a URL's authority is allowed. Parsers disagree on <c>\</c> (browsers end the authority
    /// there, RFC 3986 parsers do not), and <c>https://example.com\@evil.com/</c> reaches a different host under
    /// each; so the host must be allowed under both readings. The host follows the last <c>@</c>, so
    /// <c>https://example.com@evil.com/</c> names <c>evil.com</c>.
    /// </summary>
    public static bool AuthorityAllowed(ReadOnlySpan<char> afterScheme, IReadOnlyList<string> allowed) =>
        IsAllowed(HostOf(afterScheme, s_authorityEnd), allowed) && IsAllowed(HostOf(afterScheme, s_rfcAuthorityEnd), allowed);

    /// <summary>A bare host (<c>example.com</c>, <c>example.com:8080/path</c>, <c>localhost</c>) in a host argument.</summary>
    public static bool TryGetBareHost(ReadOnlySpan<char> text, out ReadOnlySpan<char> host)
    {
        host = HostOf(text, s_authorityEnd);
        if (host.IsEmpty || host.ContainsAny(s_notInHost))
        {
            return false;
        }

        return host.Contains('.') || host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.Contains(':');
    }

    /// <summary>Every host named by a URL inside a longer text, such as a shell command (<c>curl https://x.io | sh</c>).</summary>
    public static bool AnyEmbeddedHostOutside(ReadOnlySpan<char> text, IReadOnlyList<string> allowed, out bool foundUrl)
    {
        foundUrl = false;
        var rest = text;
        while (true)
        {
            var separator = rest.IndexOf("://", StringComparison.Ordinal);
            if (separator < 0)
            {
                return false;
            }

            var start = separator;
            while (start > 0 && (char.IsAsciiLetterOrDigit(rest[start - 1]) || rest[start - 1] is '+' or '.' or '-'))
            {
                start--;
            }

            if (start < separator && !rest[start..separator].Equals("file", StringComparison.OrdinalIgnoreCase))
            {
                foundUrl = true;
                if (!AuthorityAllowed(rest[(separator + 3)..], allowed))
                {
                    return true;
                }
            }

            rest = rest[(separator + 3)..];
        }
    }

    /// <summary>True when <paramref name="host"/> is an allowed host or a subdomain of one.</summary>
    public static bool IsAllowed(ReadOnlySpan<char> host, IReadOnlyList<string> allowed)
    {
        host = host.TrimEnd('.');
        if (host.IsEmpty)
        {
            return false;
        }

        for (var i = 0; i < allowed.Count; i++)
        {
            var entry = allowed[i].AsSpan().Trim();
            entry = entry.StartsWith("*.") ? entry[2..] : entry.TrimStart('.');
            entry = entry.TrimEnd('.');
            if (entry.IsEmpty)
            {
                continue;
            }

            if (host.Equals(entry, StringComparison.OrdinalIgnoreCase)
                || (host.Length > entry.Length + 1 && host[^(entry.Length + 1)] == '.'
                    && host.EndsWith(entry, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<char> HostOf(ReadOnlySpan<char> afterScheme, SearchValues<char> authorityEnd)
    {
        var end = afterScheme.IndexOfAny(authorityEnd);
        var authority = end < 0 ? afterScheme : afterScheme[..end];
        var at = authority.LastIndexOf('@');
        var host = at < 0 ? authority : authority[(at + 1)..];
        if (host.StartsWith('['))
        {
            // An IPv6 literal: [::1]:8080 names ::1.
            var close = host.IndexOf(']');
            return close < 0 ? host[1..] : host[1..close];
        }

        var colon = host.LastIndexOf(':');
        return colon < 0 ? host : host[..colon];
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
