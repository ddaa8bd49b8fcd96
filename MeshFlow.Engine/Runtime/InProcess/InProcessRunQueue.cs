using System.Collections.Concurrent;
using System.Threading.Channels;
using MeshFlow.Observability;

namespace MeshFlow.Runtime.InProcess;

/// <summary>
/// The embedded run queue: a channel in this process. Nothing outlives the process; after a restart the reconciler
/// queues again the runs the ledger holds as queued or running.
/// </summary>
public sealed class InProcessRunQueue : IRunQueue
{
    private readonly Channel<QueuedRun> _channel = Channel.CreateUnbounded<QueuedRun>(new UnboundedChannelOptions { SingleReader = false });
    private readonly ConcurrentDictionary<string, int> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _leases = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(QueuedRun Run, string Reason)> _deadLetters = new();
    private long _nextId;

    /// <summary>The entries moved to the dead-letter list, with their reasons.</summary>
    public IReadOnlyCollection<(QueuedRun Run, string Reason)> DeadLetters => _deadLetters;

    /// <inheritdoc />
    public Task EnqueueAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        _held.AddOrUpdate(RunKeys.Of(request.TenantId, request.RunId), 1, static (_, n) => n + 1);
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        QueueTelemetry.TagMessageId(id);
        return _channel.Writer.WriteAsync(new QueuedRun(request, id, 1), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QueuedRun>> ReadAsync(string consumer, int max, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var runs = new List<QueuedRun>();
        while (runs.Count < max && _channel.Reader.TryRead(out var run))
        {
            runs.Add(run);
        }

        if (runs.Count > 0)
        {
            return runs;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            if (await _channel.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                while (runs.Count < max && _channel.Reader.TryRead(out var run))
                {
                    runs.Add(run);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing arrived in time.
        }

        return runs;
    }

    /// <inheritdoc />
    public Task<long> DepthAsync(CancellationToken cancellationToken = default) => Task.FromResult((long)_channel.Reader.Count);

    /// <inheritdoc />
    public Task AcknowledgeAsync(QueuedRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        Release(run.Request);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeadLetterAsync(QueuedRun run, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        _deadLetters.Enqueue((run, reason));
        Release(run.Request);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IAsyncDisposable?> TryLeaseAsync(string tenantId, string runId, string consumer, CancellationToken cancellationToken = default)
    {
        var key = RunKeys.Of(tenantId, runId);
        IAsyncDisposable? lease = _leases.TryAdd(key, consumer) ? new Lease(this, key) : null;
        return Task.FromResult(lease);
    }

    /// <inheritdoc />
    public Task<bool> HoldsAsync(string tenantId, string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_held.ContainsKey(RunKeys.Of(tenantId, runId)));

    private void Release(RunRequest request)
    {
        var key = RunKeys.Of(request.TenantId, request.RunId);
        while (_held.TryGetValue(key, out var count))
        {
            if (count <= 1 ? _held.TryRemove(KeyValuePair.Create(key, count)) : _held.TryUpdate(key, count - 1, count))
            {
                return;
            }
        }
    }

    private sealed class Lease(InProcessRunQueue queue, string key) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            queue._leases.TryRemove(key, out _);
            return ValueTask.CompletedTask;
        }
    }
}
