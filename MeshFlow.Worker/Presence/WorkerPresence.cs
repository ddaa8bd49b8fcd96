using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace MeshFlow.Worker.Presence;

/// <summary>
/// Announces that this worker is alive: a <c>meshflow.worker.heartbeats</c> count per interval, tagged with the
/// worker id, so a dashboard sees each replica come and go.
/// </summary>
public sealed partial class WorkerPresence(
    IOptions<WorkerPresenceOptions> options,
    IMeterFactory meterFactory,
    TimeProvider timeProvider,
    ILogger<WorkerPresence> logger) : BackgroundService
{
    // The engine's Meter carries the same name, so ServiceDefaults exports both with one AddMeter("MeshFlow").
    public const string MeterName = "MeshFlow";
    public const string HeartbeatsInstrumentName = "meshflow.worker.heartbeats";
    public const string WorkerIdTagName = "meshflow.worker.id";

    private readonly Counter<long> _heartbeats = meterFactory.Create(MeterName)
        .CreateCounter<long>(HeartbeatsInstrumentName, unit: "{heartbeat}", description: "Heartbeats recorded by a worker.");

    /// <summary>Unique among live replicas: the machine name and the process id.</summary>
    public static string WorkerId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, timeProvider);

        Beat();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Beat();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    private void Beat()
    {
        _heartbeats.Add(1, new KeyValuePair<string, object?>(WorkerIdTagName, WorkerId));
        LogHeartbeat(WorkerId);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker {WorkerId} heartbeat")]
    private partial void LogHeartbeat(string workerId);
}
