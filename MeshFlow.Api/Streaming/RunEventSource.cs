using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Tasks.Sources;
using MeshFlow.Events;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Runtime;

namespace MeshFlow.Api.Streaming;

/// <summary>One item of a run's event stream: an event, or a keep-alive while nothing happens.</summary>
public readonly record struct StreamItem(RunEventEnvelope? Event)
{
    /// <summary>A keep-alive.</summary>
    public static StreamItem KeepAlive => default;
}

/// <summary>
/// A run's events for a client: the bus's kept events after the client's last one, then live ones, until
/// <c>run_end</c>. A run that ended long ago (its events expired from the bus) is told from the ledger instead,
/// whose every <c>step_end</c> carries the full output; and a run the ledger says ended whose <c>run_end</c> never
/// reaches the bus (its worker died after the commit) is closed from the ledger too.
/// </summary>
public sealed class RunEventSource(IRunEventBus bus, ILedgerStore store)
{
    /// <summary>How long a stream may be quiet before a keep-alive is sent and the ledger is checked.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The run's events after <paramref name="afterSeq"/>, with keep-alives while it is quiet.</summary>
    public IAsyncEnumerable<StreamItem> ReadAsync(string tenantId, string runId, long afterSeq, CancellationToken cancellationToken) =>
        ReadAsync(tenantId, runId, afterSeq, askLedger: true, cancellationToken);

    /// <summary>
    /// All the events of a run the caller has just submitted, with keep-alives while it is quiet. The ledger is not
    /// asked first whether the run ended: its events cannot have expired from the bus yet, and following the bus tells
    /// an ended run just as well. One database round trip less before the first event of <c>POST /stream</c>.
    /// </summary>
    public IAsyncEnumerable<StreamItem> ReadSubmittedAsync(string tenantId, string runId, CancellationToken cancellationToken) =>
        ReadAsync(tenantId, runId, 0, askLedger: false, cancellationToken);

    private async IAsyncEnumerable<StreamItem> ReadAsync(string tenantId, string runId, long afterSeq, bool askLedger,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = afterSeq;
        if (askLedger && await store.ReadRunAsync(tenantId, runId, cancellationToken) is { HasEnded: true })
        {
            // An ended run has nothing live to wait for: its kept events, or, once they expired, its ledger. The
            // worker commits run_end before it publishes it, so kept events without it mean the event is on its way
            // (or its worker died in between): the stream then follows the bus below, which covers both.
            // The client's own last event is read again: if it was run_end, the client has seen the whole run.
            var kept = await bus.LastSeqAsync(tenantId, runId, cancellationToken) > 0;
            // A run that paused has a run_end (paused) per pause before its last: the kept events are read past
            // them, and only the last event tells whether the run_end that ends it has arrived.
            var told = kept
                ? bus.ReadKeptAsync(tenantId, runId, Math.Max(afterSeq - 1, 0), cancellationToken)
                : FromLedgerAsync(tenantId, runId, cancellationToken);
            var ended = false;
            await foreach (var evt in told)
            {
                if (evt.Seq > last)
                {
                    last = evt.Seq;
                    yield return new StreamItem(evt);
                }

                ended = evt.Seq >= afterSeq && evt.IsTerminal;
            }

            if (!kept || ended)
            {
                yield break;
            }
        }

        // The bus's reader is stopped (and its pending read awaited) before it is disposed, however this stream ends:
        // an async iterator may not be disposed while a read is in flight.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var events = bus.ReadAsync(tenantId, runId, last, follow: true, stop.Token).GetAsyncEnumerator(stop.Token);
        using var quiet = new QuietWait(KeepAliveInterval);
        ValueTask<bool>? pending = null;
        try
        {
            var quietChecks = 0;
            while (true)
            {
                // Consumed once: either awaited at once, or watched (QuietWait registers its one continuation) and then,
                // completed, read by the await below or the finally block.
#pragma warning disable CA2012
                var next = events.MoveNextAsync();
#pragma warning restore CA2012
                if (!next.IsCompleted)
                {
                    // Waits for the event or the keep-alive interval, whichever comes first, and allocates nothing for it.
                    pending = next;
                    quiet.Watch(next);
                    while (!await quiet.WaitAsync())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        yield return StreamItem.KeepAlive;
                        if (++quietChecks >= 2 && await EndedWithoutRunEndAsync(tenantId, runId, last, cancellationToken) is { } end)
                        {
                            yield return new StreamItem(end);
                            yield break;
                        }
                    }

                    pending = null;
                }

                if (!await next)
                {
                    yield break;
                }

                quietChecks = 0;
                var evt = events.Current;
                last = evt.Seq;
                yield return new StreamItem(evt);
                if (evt.IsTerminal)
                {
                    yield break;
                }
            }
        }
        finally
        {
            if (pending is { } read)
            {
                // Its completion was watched, so it is awaited here through the watcher.
                await stop.CancelAsync();
                await quiet.WaitDoneAsync();
                try
                {
                    await read;
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    // The ledger says the run ended but no run_end reached the bus: tell the client from the ledger.
    private async Task<RunEventEnvelope?> EndedWithoutRunEndAsync(string tenantId, string runId, long last, CancellationToken cancellationToken)
    {
        if (await store.ReadRunAsync(tenantId, runId, cancellationToken) is not { HasEnded: true })
        {
            return null;
        }

        var end = await store.ReadLastRecordAsync(tenantId, runId, cancellationToken);
        return end is { Kind: LedgerRecordKinds.RunEnd } ? Envelope(RunEnd(runId, end), Math.Max(last, await bus.LastSeqAsync(tenantId, runId, cancellationToken)) + 1) : null;
    }

    private async IAsyncEnumerable<RunEventEnvelope> FromLedgerAsync(string tenantId, string runId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var records = await store.ReadRecordsAsync(tenantId, runId, cancellationToken);
        var events = new List<MeshEvent>();
        foreach (var record in records)
        {
            switch (record.Kind)
            {
                case LedgerRecordKinds.RunStart when !record.Redacted:
                    var start = LedgerPayloads.ReadRunStart(record.Payload);
                    events.Add(new RunStartEvent { RunId = runId, Workflow = start.Workflow, Input = start.Input, Policy = start.Policy.Mode, Timestamp = record.Timestamp });
                    break;
                case LedgerRecordKinds.Step:
                    var step = record.Redacted ? null : LedgerPayloads.ReadStep(record.Payload);
                    var tokens = new TokenUsage(record.TokensInput, record.TokensOutput, record.TokensEstimated);
                    events.Add(new StepEndEvent
                    {
                        RunId = runId, NodeId = record.NodeId, StepId = record.StepId, AgentId = record.AgentId, Output = step?.Output ?? string.Empty,
                        Tokens = tokens, CostUsd = record.CostUsd, DurationMs = record.DurationMs, Timestamp = record.Timestamp,
                        Verdict = record.Verdict is { } v ? WireNames.Parse<MeshFlow.Governance.Verdict>(v) : MeshFlow.Governance.Verdict.Commit,
                        BlockReason = record.BlockReason is { } b ? WireNames.Parse<MeshFlow.Governance.BlockReason>(b) : null,
                        BlockDetail = step?.BlockDetail, AgentDid = record.AgentDid, RiskTier = step?.Risk?.Tier, RiskRule = step?.Risk?.Rule,
                        Uncertainty = record.Uncertainty, Model = step?.Model, Offline = step?.Offline ?? false,
                    });
                    break;
                case LedgerRecordKinds.RunEnd:
                    events.Add(RunEnd(runId, record));
                    break;
            }
        }

        for (var i = 0; i < events.Count; i++)
        {
            yield return Envelope(events[i], i + 1);
        }
    }

    private static RunEndEvent RunEnd(string runId, LedgerRecord record)
    {
        var payload = record.Redacted ? null : LedgerPayloads.ReadRunEnd(record.Payload);
        var status = payload is null ? RunStatus.Completed : WireNames.Parse<RunStatus>(payload.Status);
        return new RunEndEvent
        {
            RunId = runId, Status = status, Output = payload?.Output ?? string.Empty, Error = payload?.Error, Timestamp = record.Timestamp,
            Tokens = new TokenUsage(record.TokensInput, record.TokensOutput, record.TokensEstimated), CostUsd = record.CostUsd,
        };
    }

    private static RunEventEnvelope Envelope(MeshEvent evt, long seq)
    {
        var numbered = evt with { Seq = seq };
        return new RunEventEnvelope(seq, numbered.Kind, JsonSerializer.Serialize(numbered));
    }

    /// <summary>
    /// Waits for a pending read or a quiet interval, whichever ends first, reused for every read of a stream: where
    /// <c>Task.WhenAny</c> costs a task for the read and one for the race per event, this costs nothing. The read's own
    /// completion runs the waiting stream's code (on the thread that completed it).
    /// </summary>
    private sealed class QuietWait : IValueTaskSource<bool>, IDisposable
    {
        private readonly object _sync = new();
        private readonly TimeSpan _interval;
        private readonly Timer _timer;
        private readonly Action _readDone;
        private ManualResetValueTaskSourceCore<bool> _core;
        private bool _waiting;
        private bool _read;
        private long _deadline;

        public QuietWait(TimeSpan interval)
        {
            _interval = interval;
            _timer = new Timer(static state => ((QuietWait)state!).Elapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _readDone = ReadDone;
        }

        /// <summary>Watches <paramref name="read"/>, which it must not be awaited otherwise before it completes.</summary>
        public void Watch(ValueTask<bool> read)
        {
            lock (_sync)
            {
                _read = false;
            }

            read.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_readDone);
        }

        /// <summary>True once the watched read completed; false when the interval passed first (wait again to go on).</summary>
        public ValueTask<bool> WaitAsync()
        {
            lock (_sync)
            {
                if (_read)
                {
                    return new ValueTask<bool>(true);
                }

                _core.Reset();
                _deadline = Environment.TickCount64 + (long)_interval.TotalMilliseconds;
                _waiting = true;
            }

            _timer.Change(_interval, Timeout.InfiniteTimeSpan);
            return new ValueTask<bool>(this, _core.Version);
        }

        /// <summary>Completes once the watched read has (after it was cancelled).</summary>
        public async ValueTask WaitDoneAsync()
        {
            while (!await WaitAsync())
            {
            }
        }

        public void Dispose() => _timer.Dispose();

        private void ReadDone()
        {
            lock (_sync)
            {
                _read = true;
                if (!_waiting)
                {
                    return;
                }

                _waiting = false;
                _core.RunContinuationsAsynchronously = false;
            }

            _core.SetResult(true);
        }

        private void Elapsed()
        {
            lock (_sync)
            {
                if (!_waiting)
                {
                    return;
                }

                var early = _deadline - Environment.TickCount64;
                if (early > 0)
                {
                    // Armed for an earlier wait that the read ended: this wait's interval is not over.
                    _timer.Change(TimeSpan.FromMilliseconds(early), Timeout.InfiniteTimeSpan);
                    return;
                }

                _waiting = false;
                _core.RunContinuationsAsynchronously = true;
            }

            _core.SetResult(false);
        }

        bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
