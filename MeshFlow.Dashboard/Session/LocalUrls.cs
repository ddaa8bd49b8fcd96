using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Dashboard.Session;

/// <summary>Where to send a browser after sign-in: only ever a path of this dashboard, never another site.</summary>
public static class LocalUrls
{
    public const string Runs = "/runs";

    /// <summary><paramref name="returnUrl"/> when it is a local path, else the runs.</summary>
    /// <remarks>
    /// The framework's check rejects <c>//host</c>, <c>/\host</c> and control characters: browsers strip a tab or a
    /// line break, so <c>/%09/evil.example</c> would otherwise become <c>//evil.example</c>. A leading <c>/</c> is
    /// required as well, because the framework also accepts <c>~/</c>, which a browser does not resolve.
    /// </remarks>
    public static string OrRuns(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && RedirectHttpResult.IsLocalUrl(url)
            ? url
            : Runs;
}
