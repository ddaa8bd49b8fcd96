using MeshFlow.Dashboard.ApiClient;

namespace MeshFlow.Dashboard.Health;

/// <summary>
/// Polls the API's <c>GET /health</c> so the "API unreachable" banner appears within seconds of the API going away
/// and disappears by itself when it answers again, whether or not a page is calling the API meanwhile.
/// </summary>
public sealed class ApiHealthMonitor(IServiceScopeFactory scopes, IApiAvailability availability, TimeProvider timeProvider, IConfiguration configuration)
    : BackgroundService
{
    /// <summary>The setting for the time between polls, in milliseconds (default 2000).</summary>
    public const string IntervalKey = "MESHFLOW_DASHBOARD_HEALTH_POLL_MS";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(configuration.GetValue(IntervalKey, 2000));
        using var timer = new PeriodicTimer(interval, timeProvider);
        do
        {
            await PollAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var api = scope.ServiceProvider.GetRequiredService<MeshFlowApiClient>();
            var result = await api.GetHealthAsync(stoppingToken).ConfigureAwait(false);
            if (result.Health is not null)
            {
                availability.ReportReachable();
            }
            else
            {
                availability.ReportUnreachable("The MeshFlow API cannot be reached.");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
