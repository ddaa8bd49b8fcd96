using MeshFlow.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshFlow.Runtime;

/// <summary>
/// Puts back on the queue the runs the ledger says are queued or running but the queue no longer holds: Redis
/// restarted empty, or an embedded process restarted with runs in flight. The ledger is the source of truth; a run
/// queued twice is harmless (its lease and the ledger keep it to one execution, and no step is recorded twice).
/// </summary>
public sealed partial class RunReconciler
{
    private readonly AuditLedger _ledger;
    private readonly IRunQueue _queue;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a reconciler over the ledger and the queue.</summary>
    public RunReconciler(AuditLedger ledger, IRunQueue queue, TimeProvider? timeProvider = null, ILogger<RunReconciler>? logger = null)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// A run whose last record is younger than this is left alone: it may have been recorded a moment before the
    /// API queues it (default 30 seconds).
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>One pass: queues again every unfinished run the queue does not hold.</summary>
    /// <returns>How many runs were queued again.</returns>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var requeued = 0;
        var runs = await _ledger.Store.ListUnfinishedRunsAsync(_time.GetUtcNow() - Grace, 1_000, cancellationToken).ConfigureAwait(false);
        foreach (var run in runs)
        {
            if (await _queue.HoldsAsync(run.TenantId, run.RunId, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var records = await _ledger.Store.ReadRecordsAsync(run.TenantId, run.RunId, cancellationToken).ConfigureAwait(false);
            if (RunRequest.FromRecords(run.TenantId, run.RunId, records, _time.GetUtcNow()) is not { } request)
            {
                continue;
            }

            await _queue.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
            LogRequeued(run.RunId, run.Status);
            requeued++;
        }

        return requeued;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} is {Status} in the ledger but was not queued; it was queued again")]
    private partial void LogRequeued(string runId, string status);
}
