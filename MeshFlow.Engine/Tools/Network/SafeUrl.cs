using System.Globalization;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Network;

/// <summary>Reads the URLs the network tools are given, and names them in messages without what may be a secret.</summary>
internal static class SafeUrl
{
    /// <summary>
    /// <c>scheme://host:port/path</c>: never the query, the fragment or user information, which may carry tokens; the
    /// form every error message uses.
    /// </summary>
    public static string Describe(Uri url) =>
        url.IsAbsoluteUri && url.Scheme is "http" or "https"
            ? string.Create(CultureInfo.InvariantCulture, $"{url.Scheme}://{url.IdnHost}:{url.Port}{url.AbsolutePath}")
            : url.IsAbsoluteUri ? $"a {url.Scheme}: URL" : "a relative URL";

    /// <summary>The URL without user information, for output.</summary>
    public static string WithoutUserInfo(Uri url)
    {
        if (string.IsNullOrEmpty(url.UserInfo))
        {
            return url.AbsoluteUri;
        }

        return new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri.AbsoluteUri;
    }

    /// <summary>Parses a tool's URL argument: absolute, http or https, without user information.</summary>
    /// <exception cref="BuiltInToolException">It is none of those.</exception>
    public static Uri Parse(string tool, string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url))
        {
            throw new BuiltInToolException($"{tool}: the url must be an absolute http or https URL");
        }

        CheckScheme(tool, url);
        return !string.IsNullOrEmpty(url.UserInfo)
            ? throw new BuiltInToolException($"{tool}: URLs with user information (user:password@) are refused; send credentials as a header")
            : url;
    }

    /// <summary>Refuses every scheme but http and https (file:, gopher:, ftp:, data:…).</summary>
    public static void CheckScheme(string tool, Uri url)
    {
        if (url.Scheme is not ("http" or "https"))
        {
            throw new BuiltInToolException($"{tool}: only http and https URLs are fetched, not {url.Scheme}:");
        }
    }
}
