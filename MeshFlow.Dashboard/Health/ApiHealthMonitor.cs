using System.Globalization;
using MeshFlow.Dashboard.ApiClient;
using MeshFlow.ServiceDefaults.Startup;

namespace MeshFlow.Dashboard.Health;

/// <summary>
/// Polls the API's <c>GET /health</c> so the "API unreachable" banner appears within seconds of the API going away
/// and disappears by itself when it answers again, whether or not a page is calling the API meanwhile.
/// </summary>
public sealed class ApiHealthMonitor(IServiceScopeFactory scopes, IApiAvailability availability, TimeProvider timeProvider, TimeSpan interval)
    : BackgroundService
{
    /// <summary>The setting for the time between polls, in milliseconds (default 2000).</summary>
    public const string IntervalKey = "MESHFLOW_DASHBOARD_HEALTH_POLL_MS";

    /// <summary>The time between polls when <see cref="IntervalKey"/> is not set.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(2000);

    /// <summary>The time between polls in <see cref="IntervalKey"/>, read when the services are registered.</summary>
    /// <remarks>A mistyped interval stops start-up with one line, rather than failing later inside the background poll.</remarks>
    /// <exception cref="MeshFlowConfigurationException">The setting is not a whole number of milliseconds of at least 1.</exception>
    public static TimeSpan ReadInterval(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[IntervalKey] is not { Length: > 0 } configured)
        {
            return DefaultInterval;
        }

        return int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 1
            ? TimeSpan.FromMilliseconds(milliseconds)
            : throw new MeshFlowConfigurationException($"{IntervalKey} must be a whole number of milliseconds of at least 1, e.g. 2000.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
