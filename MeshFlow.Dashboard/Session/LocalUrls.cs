namespace MeshFlow.Dashboard.Session;

/// <summary>Where to send a browser after sign-in: only ever a path of this dashboard, never another site.</summary>
public static class LocalUrls
{
    public const string Runs = "/runs";

    /// <summary><paramref name="returnUrl"/> when it is a local path (not <c>//host</c> or <c>/\host</c>), else the runs.</summary>
    public static string OrRuns(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            ? url
            : Runs;
}
