using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshFlow.Runtime;

/// <summary>Runs the <see cref="RunReconciler"/> at start-up and then every <see cref="Interval"/>.</summary>
public sealed partial class RunReconcilerService(RunReconciler reconciler, TimeProvider? timeProvider = null, ILogger<RunReconcilerService>? logger = null)
    : BackgroundService
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>How often the ledger and the queue are compared (default 30 seconds).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider ?? TimeProvider.System);
        do
        {
            try
            {
                await reconciler.ReconcileAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling the ledger with the run queue failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
