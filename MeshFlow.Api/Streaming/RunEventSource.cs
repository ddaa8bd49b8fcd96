using System.Runtime.CompilerServices;
using System.Text.Json;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Ledger;
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
    public async IAsyncEnumerable<StreamItem> ReadAsync(string tenantId, string runId, long afterSeq,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = afterSeq;
        if (await store.ReadRunAsync(tenantId, runId, cancellationToken) is { HasEnded: true })
        {
            // An ended run has nothing live to wait for: its kept events, or, once they expired, its ledger. The
            // worker commits run_end before it publishes it, so kept events without it mean the event is on its way
            // (or its worker died in between): the stream then follows the bus below, which covers both.
            // The client's own last event is read again: if it was run_end, the client has seen the whole run.
            var kept = await bus.LastSeqAsync(tenantId, runId, cancellationToken) > 0;
            var told = kept
                ? bus.ReadAsync(tenantId, runId, Math.Max(afterSeq - 1, 0), follow: false, cancellationToken)
                : FromLedgerAsync(tenantId, runId, cancellationToken);
            await foreach (var evt in told)
            {
                if (evt.Seq > last)
                {
                    last = evt.Seq;
                    yield return new StreamItem(evt);
                }

                if (evt.Seq >= afterSeq && evt.IsTerminal)
                {
                    yield break;
                }
            }

            if (!kept)
            {
                yield break;
            }
        }

        // The bus's reader is stopped (and its pending read awaited) before it is disposed, however this stream ends:
        // an async iterator may not be disposed while a read is in flight.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var events = bus.ReadAsync(tenantId, runId, last, follow: true, stop.Token).GetAsyncEnumerator(stop.Token);
        Task<bool>? pending = null;
        try
        {
            var quiet = Task.Delay(KeepAliveInterval, cancellationToken);
            var quietChecks = 0;
            while (true)
            {
                var next = events.MoveNextAsync();
                bool more;
                if (next.IsCompleted)
                {
                    more = await next;
                }
                else
                {
                    pending = next.AsTask();
                    while (await Task.WhenAny(pending, quiet) != pending)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        yield return StreamItem.KeepAlive;
                        quiet = Task.Delay(KeepAliveInterval, cancellationToken);
                        if (++quietChecks >= 2 && await EndedWithoutRunEndAsync(tenantId, runId, last, cancellationToken) is { } end)
                        {
                            yield return new StreamItem(end);
                            yield break;
                        }
                    }

                    more = await pending;
                    pending = null;
                }

                if (!more)
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
            if (pending is not null)
            {
                await stop.CancelAsync();
                await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
                    var output = record.Redacted ? string.Empty : LedgerPayloads.ReadStep(record.Payload).Output;
                    var tokens = new TokenUsage(record.TokensInput, record.TokensOutput, record.TokensEstimated);
                    events.Add(new StepEndEvent
                    {
                        RunId = runId, NodeId = record.NodeId, StepId = record.StepId, AgentId = record.AgentId, Output = output, Tokens = tokens,
                        CostUsd = record.CostUsd, DurationMs = record.DurationMs, Timestamp = record.Timestamp,
                        Verdict = record.Verdict is { } v ? WireNames.Parse<Governance.Verdict>(v) : Governance.Verdict.Commit,
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
}
