using System.Net;
using MeshFlow.Dashboard.ApiClient;
using Microsoft.AspNetCore.Components.Authorization;

namespace MeshFlow.Dashboard.Export;

/// <summary>
/// <c>GET /runs/{id}/export</c> on the dashboard: the run's evidence bundle from the API's <c>GET /traces/{id}/export</c>,
/// fetched with the signed-in key from the cookie and streamed to the browser as a download. The browser only ever
/// sees this address, so the key stays on the server.
/// </summary>
public static class RunExportEndpoints
{
    public static IEndpointRouteBuilder MapRunExportEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/runs/{id}/export", ExportAsync).RequireAuthorization().WithName("ExportRun");
        return app;
    }

    private static async Task<IResult> ExportAsync(string id, HttpContext context, AuthenticationStateProvider authentication,
        MeshFlowApiClient api, CancellationToken cancellationToken)
    {
        // The session reads the key from the authentication state, which only components get by themselves.
        if (authentication is IHostEnvironmentAuthenticationStateProvider host)
        {
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(context.User)));
        }

        HttpResponseMessage response;
        try
        {
            response = await api.OpenExportAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (MeshFlowApiException exception)
        {
            // Another tenant's run is a 404 exactly like a missing one; an unreachable API is a 503.
            var status = exception.StatusCode is { } code ? (int)code : (int)HttpStatusCode.ServiceUnavailable;
            return TypedResults.Problem(title: status == 404 ? "Run not found" : "Export failed", detail: exception.Message, statusCode: status);
        }

        context.Response.RegisterForDispose(response);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Stream(body, "application/json", $"meshflow-run-{FileNamePart(id)}.json");
    }

    // The id comes from the URL: keep only what is safe in a file name.
    private static string FileNamePart(string id) =>
        new([.. id.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Take(80)]);
}
