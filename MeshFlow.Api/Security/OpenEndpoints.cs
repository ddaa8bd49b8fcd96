using Microsoft.Net.Http.Headers;
using ServiceDefaultsExtensions = Microsoft.Extensions.Hosting.Extensions;

namespace MeshFlow.Api.Security;

/// <summary>The requests that need no API key: the health probes, the OpenAPI document and CORS preflights.</summary>
/// <remarks>
/// Matched by path rather than endpoint metadata because <c>/alive</c> and the OpenAPI document are mapped by shared
/// code (ServiceDefaults, <c>MapOpenApi</c>) that this layer does not own.
/// </remarks>
internal static class OpenEndpoints
{
    public const string OpenApiDocumentPath = "/openapi/v1.json";

    public static bool IsOpen(HttpRequest request) =>
        IsProbe(request.Path) || Is(request.Path, OpenApiDocumentPath) || IsCorsPreflight(request);

    /// <summary><c>/health</c> and <c>/alive</c>: never authenticated, never rate limited.</summary>
    public static bool IsProbe(PathString path) =>
        Is(path, ServiceDefaultsExtensions.HealthEndpointPath) || Is(path, ServiceDefaultsExtensions.AlivenessEndpointPath);

    private static bool IsCorsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method)
        && request.Headers.ContainsKey(HeaderNames.Origin)
        && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);

    // The path itself, or with the trailing slash routing also accepts.
    private static bool Is(PathString path, string open) =>
        path.StartsWithSegments(open, StringComparison.OrdinalIgnoreCase, out var rest) && (!rest.HasValue || rest == "/");
}
