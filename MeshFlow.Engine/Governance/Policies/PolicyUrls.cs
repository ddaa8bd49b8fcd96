namespace MeshFlow.Governance;

/// <summary>The URLs a policy may hold (where approvals are announced): what makes one acceptable, in one place.</summary>
/// <remarks>
/// Only the URL's form is checked here. Whether its host resolves to a private address is checked when a request
/// is made, since the answer can change between reading the policy and calling it.
/// </remarks>
internal static class PolicyUrls
{
    /// <summary>The longest URL a policy keeps, as most servers and proxies accept it.</summary>
    public const int MaxLength = 2_048;

    /// <summary>What an acceptable URL is, as messages say it.</summary>
    public const string Expected = "an absolute http or https URL with a host and no credentials, at most 2048 characters, or none";

    /// <summary>
    /// Why <paramref name="text"/> (<paramref name="described"/> as messages quote it) is not acceptable, such as
    /// <c>is the string 'x', which has no host</c>, or null when it is.
    /// </summary>
    public static string? Problem(string text, string described)
    {
        // A refused URL with an '@' in it may carry a password: the message says so instead of quoting it into logs.
        described = text.Contains('@', StringComparison.Ordinal) ? "a URL with '@' in it" : described;
        if (text.Length > MaxLength)
        {
            return $"is {text.Length} characters long";
        }

        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return $"is {described}, which is not an absolute URL";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"is {described}, whose scheme is '{uri.Scheme}'";
        }

        if (uri.Host.Length == 0)
        {
            return $"is {described}, which has no host";
        }

        // An '@' in the authority is user information even when empty (https://@host): refused with the rest.
        var start = text.IndexOf("://", StringComparison.Ordinal);
        var authority = start < 0 ? string.Empty : text[(start + 3)..];
        var end = authority.IndexOfAny(['/', '\\', '?', '#']);
        if (uri.UserInfo.Length > 0 || (end < 0 ? authority : authority[..end]).Contains('@', StringComparison.Ordinal))
        {
            return "carries credentials (user information before '@'), which a policy must not hold";
        }

        return null;
    }
}
