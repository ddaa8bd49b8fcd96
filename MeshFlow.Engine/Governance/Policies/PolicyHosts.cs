namespace MeshFlow.Governance;

/// <summary>The host names a policy may list (the guardian's <c>allowed_hosts</c>): what makes one acceptable, in one place.</summary>
/// <remarks>
/// A host is written alone, as <c>api.example.com</c>: no scheme, user, port or path, and no <c>*.</c>, since a listed
/// host already includes its subdomains. It is kept lower-case, as hosts compare without case.
/// </remarks>
internal static class PolicyHosts
{
    /// <summary>The longest host name DNS allows.</summary>
    public const int MaxLength = 253;

    /// <summary>What an acceptable host is, as messages say it.</summary>
    public const string Expected = "a host name or IP address such as api.example.com (no scheme, port or path; subdomains are included)";

    /// <summary>
    /// Why <paramref name="text"/> (<paramref name="described"/> as messages quote it) is not an acceptable host, such
    /// as <c>is the string 'https://x.io', which has a scheme</c>, or null when it is.
    /// </summary>
    public static string? Problem(string text, string described)
    {
        // A refused host with an '@' in it may carry a password: the message says so instead of quoting it into logs.
        if (text.Contains('@', StringComparison.Ordinal))
        {
            return "carries user information (before '@'), which a host name has none of";
        }

        if (text.Length > MaxLength)
        {
            return $"is {text.Length} characters long";
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            return $"is {described}, which has a scheme: write the host alone, such as {HostOf(text)}";
        }

        if (text.StartsWith("*.", StringComparison.Ordinal))
        {
            return $"is {described}, which has a wildcard: a host includes its subdomains, so write {text[2..]}";
        }

        if (text.IndexOfAny(['/', '\\', '?', '#']) >= 0)
        {
            return $"is {described}, which has a path";
        }

        return Uri.CheckHostName(text) switch
        {
            UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6 => null,
            _ when text.Contains(':', StringComparison.Ordinal) => $"is {described}, which has a port",
            _ => $"is {described}, which is not a host name",
        };
    }

    /// <summary>The host as a policy keeps it: lower-case, and an IPv6 address without brackets, as a URL's host is matched.</summary>
    public static string Normalize(string host) =>
        (host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host).ToLowerInvariant();

    // The host of a URL written where a host belongs, to suggest it.
    private static string HostOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : "api.example.com";
}
