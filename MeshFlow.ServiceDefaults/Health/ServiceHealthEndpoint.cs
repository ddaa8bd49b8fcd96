using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.ServiceDefaults.Health;

/// <summary>The handler behind <c>MapServiceHealth</c>.</summary>
public static class ServiceHealthEndpoint
{
    public static async Task<Results<Ok<ServiceHealthResponse>, JsonHttpResult<ServiceHealthResponse>>> GetHealthAsync(
        ServiceHealthReporter reporter,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reporter);

        var health = await reporter.GetAsync(cancellationToken).ConfigureAwait(false);
        return health.Ok
            ? TypedResults.Ok(health)
            : TypedResults.Json(health, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
