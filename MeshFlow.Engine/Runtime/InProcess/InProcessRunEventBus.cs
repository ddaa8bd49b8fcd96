using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace MeshFlow.Runtime.InProcess;

/// <summary>
/// The embedded event bus: each run's events kept in memory (for <see cref="RunEventBusOptions.Retention"/> after
/// its last event) and handed to its readers as they are published.
/// </summary>
public sealed class InProcessRunEventBus(RunEventBusOptions? options = null, TimeProvider? timeProvider = null) : IRunEventBus
{
    private readonly RunEventBusOptions _options = options ?? new RunEventBusOptions();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, RunEvents> _runs = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <inheritdoc />
    public ValueTask PublishAsync(string tenantId, string runId, RunEventEnvelope evt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var key = RunKeys.Of(tenantId, runId);
        var now = _time.GetUtcNow();
        var run = _runs.GetOrAdd(key, static (_, now) => new RunEvents(now), now);
        run.Add(evt, _options.MaxEventsPerRun, now);
        Sweep(now);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RunEventEnvelope> ReadAsync(string tenantId, string runId, long afterSeq, bool follow = true,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var run = _runs.GetOrAdd(RunKeys.Of(tenantId, runId), static (_, now) => new RunEvents(now), _time.GetUtcNow());
        var last = afterSeq;
        while (true)
        {
            var (batch, changed) = run.After(last);
            foreach (var evt in batch)
            {
                last = evt.Seq;
                yield return evt;
                if (evt.IsTerminal)
                {
                    yield break;
                }
            }

            if (!follow)
            {
                yield break;
            }

            if (batch.Count == 0)
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public Task<long> LastSeqAsync(string tenantId, string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_runs.TryGetValue(RunKeys.Of(tenantId, runId), out var run) ? run.LastSeq : 0);

    // Runs whose last event is older than the retention are dropped; the sweep runs at most once a minute.
    private void Sweep(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweep, now.UtcTicks + TimeSpan.TicksPerMinute, due) != due)
        {
            return;
        }

        var cutoff = now - _options.Retention;
        foreach (var (key, run) in _runs)
        {
            if (run.LastActivity < cutoff)
            {
                _runs.TryRemove(key, out _);
            }
        }
    }

    private sealed class RunEvents(DateTimeOffset created)
    {
        private readonly List<RunEventEnvelope> _events = [];
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long LastSeq { get; private set; }

        public DateTimeOffset LastActivity { get; private set; } = created;

        public void Add(RunEventEnvelope evt, int max, DateTimeOffset now)
        {
            TaskCompletionSource changed;
            lock (_events)
            {
                if (evt.Seq <= LastSeq)
                {
                    return;
                }

                _events.Add(evt);
                if (_events.Count > max)
                {
                    _events.RemoveRange(0, _events.Count - max);
                }

                LastSeq = evt.Seq;
                LastActivity = now;
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
        }

        public (List<RunEventEnvelope> Batch, Task Changed) After(long seq)
        {
            lock (_events)
            {
                // Sequence numbers increase along the list: find the first one after seq by bisection.
                int low = 0, high = _events.Count;
                while (low < high)
                {
                    var mid = (low + high) >>> 1;
                    if (_events[mid].Seq <= seq)
                    {
                        low = mid + 1;
                    }
                    else
                    {
                        high = mid;
                    }
                }

                var batch = _events.GetRange(low, _events.Count - low);
                return (batch, _changed.Task);
            }
        }
    }
}
