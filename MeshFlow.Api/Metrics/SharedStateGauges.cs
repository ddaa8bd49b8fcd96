using MeshFlow.Approvals;
using MeshFlow.Observability.Metrics;
using MeshFlow.Runtime;

namespace MeshFlow.Api.Metrics;

/// <summary>
/// The gauges read from state every process shares rather than counted where work happens: pending approvals from the
/// ledger store, runs waiting from the queue. They are read when <c>/metrics</c> is scraped, at most once per
/// <c>cacheFor</c>, so frequent scrapes (or several scrapers) cost the store one count query per period.
/// </summary>
public sealed partial class SharedStateGauges : IDisposable
{
    private readonly IApprovalStore _approvals;
    private readonly IRunQueue _queue;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheFor;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private long _readAt = long.MinValue;
    private long _pending;
    private long _depth;

    /// <summary>Adds the gauges to <paramref name="metrics"/>' meter.</summary>
    public SharedStateGauges(MeshFlowMetrics metrics, IApprovalStore approvals, IRunQueue queue, TimeSpan cacheFor, TimeProvider? timeProvider,
        ILogger<SharedStateGauges> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _approvals = approvals ?? throw new ArgumentNullException(nameof(approvals));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _cacheFor = cacheFor;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger;
        metrics.Meter.CreateObservableGauge(MetricNames.HitlPending, () => Volatile.Read(ref _pending),
            description: "Approvals pending, every tenant's.");
        metrics.Meter.CreateObservableGauge(MetricNames.QueueDepth, () => Volatile.Read(ref _depth),
            description: "Runs waiting on the queue for a worker.");
    }

    /// <summary>
    /// Reads both values again unless they were read within the cache period. A failed read keeps the last values
    /// (and is logged): a scrape still answers while the store is away.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (Fresh())
        {
            return;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A scrape that waited for another's refresh uses what it read.
            if (Fresh())
            {
                return;
            }

            try
            {
                Volatile.Write(ref _pending, await _approvals.CountPendingAsync(cancellationToken).ConfigureAwait(false));
                Volatile.Write(ref _depth, await _queue.DepthAsync(cancellationToken).ConfigureAwait(false));
                Volatile.Write(ref _readAt, _time.GetTimestamp());
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogReadFailed(ex);
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _refresh.Dispose();

    private bool Fresh() => Volatile.Read(ref _readAt) is var at && at != long.MinValue && _time.GetElapsedTime(at) < _cacheFor;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The metrics' pending approvals or queue depth could not be read; the last values stand")]
    private partial void LogReadFailed(Exception exception);
}
