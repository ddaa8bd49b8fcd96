using System.Net;
using System.Text.Json;
using Polly;

namespace MeshFlow.Dashboard.ApiClient;

/// <summary>A client of the API's public HTTP surface, like any other.</summary>
public sealed class MeshFlowApiClient(HttpClient httpClient)
{
    // The API's JSON is snake_case (uptime_s).
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>
    /// Reads <c>GET /health</c>. Never throws for a failing or unreachable API: the failure is the result.
    /// Cancellation by <paramref name="cancellationToken"/> still throws.
    /// </summary>
    public async Task<ApiHealthResult> GetHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await httpClient.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken)
                .ConfigureAwait(false);

            // An unhealthy API answers 503 with the same body; that is a status to show, not an error.
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))
            {
                return ApiHealthResult.Unreachable(
                    $"The API answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var health = await response.Content.ReadFromJsonAsync<ApiHealth>(JsonOptions, cancellationToken)
                .ConfigureAwait(false);
            return health is null
                ? ApiHealthResult.Unreachable("The API answered with an empty health body.")
                : ApiHealthResult.Reachable(health);
        }
        catch (HttpRequestException exception)
        {
            return ApiHealthResult.Unreachable($"The API could not be reached: {exception.Message}");
        }
        catch (ExecutionRejectedException exception)
        {
            // The resilience pipeline gave up: timeout or open circuit breaker.
            return ApiHealthResult.Unreachable($"The API could not be reached: {exception.Message}");
        }
        catch (JsonException)
        {
            return ApiHealthResult.Unreachable("The API answered with a health body that is not valid JSON.");
        }
    }
}
