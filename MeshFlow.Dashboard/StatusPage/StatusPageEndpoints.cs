using System.Text.Encodings.Web;
using MeshFlow.Dashboard.ApiClient;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Dashboard.StatusPage;

public static class StatusPageEndpoints
{
    public static IEndpointRouteBuilder MapStatusPageEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapGet("/", GetStatusPageAsync)
            .WithName("GetStatusPage")
            .WithSummary("The API's status, version, uptime and stores, fetched server-side.");

        return app;
    }

    public static async Task<ContentHttpResult> GetStatusPageAsync(
        MeshFlowApiClient api,
        TimeProvider timeProvider,
        HtmlEncoder encoder,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var result = await api.GetHealthAsync(cancellationToken).ConfigureAwait(false);
        var html = StatusPageRenderer.Render(result, timeProvider.GetUtcNow(), encoder);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
