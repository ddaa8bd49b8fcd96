using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MeshFlow.Approvals;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Governance;
using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Privacy;
using MeshFlow.Observability;
using MeshFlow.Runs;
using MeshFlow.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshFlow.Runtime;

/// <summary>
/// A worker's loop: takes runs from the queue, executes each from the ledger under its lease, relays its events,
/// and acknowledges the entry only once the run's outcome is committed to the ledger.
/// </summary>
/// <remarks>
/// <para>A run is always resumed from the ledger: the API recorded its <c>run_start</c>, and a step the ledger
/// already holds (a previous worker's, before it died) is reused, never executed again.</para>
/// <para>Events are numbered per run across workers: a worker that takes over a run continues after the last event
/// kept by the bus and leaves out what was already published (the run's start, and the steps that already ended).
/// The deltas of a step that was interrupted are published again from its restart; its <c>step_end</c> carries the
/// full output. Deltas of one step that pile up while the relay is busy are sent as one (<see cref="TokenDeltaCoalescer"/>).</para>
/// </remarks>
public sealed partial class RunProcessor
{
    private readonly MeshFlowEngine _engine;
    private readonly AuditLedger _ledger;
    private readonly IRunQueue _queue;
    private readonly IRunEventBus _events;
    private readonly IRunSignals _signals;
    private readonly RunProcessorOptions _options;
    private readonly ILogger _logger;
    private readonly WorkflowCache _workflows = new();

    /// <summary>Creates a processor; the engine must write through a ledger.</summary>
    public RunProcessor(MeshFlowEngine engine, IRunQueue queue, IRunEventBus events, IRunSignals signals,
        RunProcessorOptions? options = null, ILogger<RunProcessor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _ledger = engine.Ledger ?? throw new ArgumentException("a worker's engine needs a ledger to resume runs from", nameof(engine));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _signals = signals ?? throw new ArgumentNullException(nameof(signals));
        _options = options ?? new RunProcessorOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Takes and executes runs until <paramref name="stoppingToken"/> fires, then waits for the runs in hand.</summary>
    /// <remarks>Stopping does not cancel runs in hand: they finish (or, if the process dies, another worker resumes them).</remarks>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(_options.MaxConcurrentRuns, _options.MaxConcurrentRuns);
        var inFlight = new ConcurrentDictionary<Task, byte>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var free = 1;
                while (slots.Wait(0, CancellationToken.None))
                {
                    free++;
                }

                IReadOnlyList<QueuedRun> runs;
                try
                {
                    runs = await _queue.ReadAsync(_options.Consumer, free, _options.PollWait, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    slots.Release(free);
                    LogQueueReadFailed(ex);
                    await Task.Delay(_options.PollWait, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                if (free > runs.Count)
                {
                    slots.Release(free - runs.Count);
                }

                foreach (var run in runs)
                {
                    var task = ProcessGuardedAsync(run, slots);
                    inFlight.TryAdd(task, 0);
                    _ = task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), inFlight,
                        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await Task.WhenAll(inFlight.Keys).ConfigureAwait(false);
    }

    private async Task ProcessGuardedAsync(QueuedRun run, SemaphoreSlim slots)
    {
        _engine.Metrics.RunInFlight(_options.Consumer, 1);
        try
        {
            await ProcessAsync(run, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The entry stays pending: it is delivered again, and dead-lettered if it keeps failing.
            LogRunFailed(ex, run.Request.RunId, run.DeliveryCount);
        }
        finally
        {
            _engine.Metrics.RunInFlight(_options.Consumer, -1);
            slots.Release();
        }
    }

    /// <summary>Executes one delivery of a queued run and acknowledges it once its outcome is committed.</summary>
    /// <returns>The run's result, or null when the delivery needed no execution (already ended, dead-lettered).</returns>
    public async Task<RunResult?> ProcessAsync(QueuedRun delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var request = delivery.Request;
        using var activity = StartProcessActivity(request);
        QueueTelemetry.TagProcess(activity, _queue, delivery);

        // One worker executes a run at a time. A second delivery of the same run (a duplicate entry, or the entry of
        // a worker that looked dead) waits for the lease: when its holder finishes, the run has ended and the
        // duplicate is acknowledged; when its holder dies, the lease lapses and this delivery resumes the run.
        IAsyncDisposable? lease;
        while ((lease = await _queue.TryLeaseAsync(request.TenantId, request.RunId, _options.Consumer, cancellationToken).ConfigureAwait(false)) is null)
        {
            await Task.Delay(_options.LeaseRetryDelay, _engine.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        await using (lease.ConfigureAwait(false))
        {
            // Under the lease, so a run is never ended here while another worker still executes it.
            if (delivery.DeliveryCount > _options.MaxDeliveries)
            {
                var reason = $"the run's queue entry was delivered {delivery.DeliveryCount} times without completing (limit {_options.MaxDeliveries}); it was moved to the dead-letter stream";
                await EndWithoutExecutingAsync(request, RunStatus.Failed, RunErrorCodes.DeadLettered, reason, cancellationToken).ConfigureAwait(false);
                await _queue.DeadLetterAsync(delivery, reason, cancellationToken).ConfigureAwait(false);
                LogDeadLettered(request.RunId, delivery.DeliveryCount);
                return null;
            }

            // Read once: whether the run already ended, and, if not, what the engine resumes it from.
            var records = await _ledger.Store.ReadRecordsAsync(request.TenantId, request.RunId, cancellationToken).ConfigureAwait(false);
            if (records.Any(r => r.Kind == LedgerRecordKinds.RunEnd))
            {
                // The delivery that committed run_end may have failed to sign the head (and so left its entry pending).
                await SignIfStaleAsync(request, records[^1], cancellationToken).ConfigureAwait(false);

                await _queue.AcknowledgeAsync(delivery, cancellationToken).ConfigureAwait(false);
                return null;
            }

            if (ApprovalHistory.Read(records).WaitingStep is not null)
            {
                // The run waits for a human: it holds no worker, and a decision queues it again. The delivery that
                // committed the pause may have failed to sign the head.
                await SignIfStaleAsync(request, records[^1], cancellationToken).ConfigureAwait(false);
                await _queue.AcknowledgeAsync(delivery, cancellationToken).ConfigureAwait(false);
                return null;
            }

            if (ApprovalHistory.FinalRejection(records) is { } rejection)
            {
                // Rejected (or cancelled while it waited): the run ends here, and nothing else of it (no sibling
                // branch, no later step) runs first.
                var cancelled = rejection.Decision.ReviewerId == ApprovalDesk.CancelReviewer;
                await EndWithoutExecutingAsync(request, cancelled ? RunStatus.Cancelled : RunStatus.Blocked,
                    cancelled ? RunErrorCodes.Cancelled : RunErrorCodes.Blocked,
                    cancelled
                        ? $"the run was cancelled while step '{rejection.StepId}' waited for approval"
                        : $"step '{rejection.StepId}' was blocked ({WireNames.Of(BlockReason.HitlRejected)}): " +
                          // The reviewer's notes are free text: under scrub_phi they leave scrubbed, as everything else does.
                          (request.Policy?.ScrubPhi == true
                              ? PhiScrubber.Scrub(ApprovalHistory.Describe(rejection.Decision))
                              : ApprovalHistory.Describe(rejection.Decision)),
                    cancellationToken).ConfigureAwait(false);
                await _queue.AcknowledgeAsync(delivery, cancellationToken).ConfigureAwait(false);
                await _signals.ClearAsync(request.TenantId, request.RunId, cancellationToken).ConfigureAwait(false);
                return null;
            }

            Workflow workflow;
            try
            {
                workflow = _workflows.Load(request.Definition);
            }
            catch (Exception ex) when (ex is WorkflowValidationException or FormatException)
            {
                await EndWithoutExecutingAsync(request, RunStatus.Failed, RunErrorCodes.InvalidWorkflow,
                    $"the run's workflow could not be loaded: {ex.Message}", cancellationToken).ConfigureAwait(false);
                await _queue.AcknowledgeAsync(delivery, cancellationToken).ConfigureAwait(false);
                return null;
            }

            var (result, lastEventSeq) = await ExecuteAsync(request, workflow, records).ConfigureAwait(false);
            if (result.Error?.Code == RunErrorCodes.LedgerFailed)
            {
                // The outcome is not committed: leave the entry pending so the run is resumed later.
                throw new InvalidOperationException($"run '{request.RunId}' could not be committed to the ledger: {result.Error.Message}");
            }

            if (result.HeadUnsigned)
            {
                // The outcome is committed (and was announced as it is); only the head's signature is missing. The
                // entry stays pending: the next delivery finds the run ended and signs its head.
                throw new InvalidOperationException($"run '{request.RunId}' ended but the ledger could not sign its head; its next delivery signs it");
            }

            if (result.Status == RunStatus.Paused)
            {
                await KeepEventSeqAsync(request, lastEventSeq).ConfigureAwait(false);
            }

            await _queue.AcknowledgeAsync(delivery, cancellationToken).ConfigureAwait(false);
            if (result.Status != RunStatus.Paused)
            {
                // A paused run keeps a cancellation asked for meanwhile: it ends the run when a decision resumes it.
                await _signals.ClearAsync(request.TenantId, request.RunId, cancellationToken).ConfigureAwait(false);
            }

            return result;
        }
    }

    private async Task SignIfStaleAsync(RunRequest request, LedgerRecord last, CancellationToken cancellationToken)
    {
        if (await _ledger.Store.ReadHeadAsync(request.TenantId, request.RunId, cancellationToken).ConfigureAwait(false) is not { } head
            || head.Seq < last.Seq)
        {
            await _ledger.SignHeadAsync(request.TenantId, request.RunId, cancellationToken).ConfigureAwait(false);
        }
    }

    // A paused run's events may expire from the bus before its decision: the number it reached is kept with its pause,
    // so its events go on from there. Best effort: the pause itself is committed already.
    private async Task KeepEventSeqAsync(RunRequest request, long lastEventSeq)
    {
        if (_ledger.Store is not IApprovalStore approvals || lastEventSeq == 0)
        {
            return;
        }

        try
        {
            await approvals.RecordEventSeqAsync(request.TenantId, request.RunId, lastEventSeq, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEventSeqNotKept(ex, request.RunId);
        }
    }

    // Where a run that paused before goes on numbering when the bus no longer keeps its events.
    private Func<Task<long>>? EventSeqFloor(RunRequest request, IReadOnlyList<LedgerRecord> records) =>
        _ledger.Store is IApprovalStore approvals && records.Any(r => r.Kind == LedgerRecordKinds.HitlPause)
            ? () => approvals.ReadEventSeqAsync(request.TenantId, request.RunId)
            : null;

    private async Task<(RunResult Result, long LastEventSeq)> ExecuteAsync(RunRequest request, Workflow workflow, IReadOnlyList<LedgerRecord> records)
    {
        // The relay's position and the cancel subscription are independent round trips: made at once, they cost a
        // run's first token one wait instead of two.
        using var cancellation = new CancellationTokenSource();
        var opening = EventRelay.OpenAsync(_events, request.TenantId, request.RunId, EventSeqFloor(request, records));
        var subscribing = _signals.SubscribeAsync(request.TenantId, request.RunId, () => TryCancel(cancellation));
        EventRelay relay;
        try
        {
            relay = await opening.ConfigureAwait(false);
        }
        catch
        {
            await DisposeQuietlyAsync(subscribing).ConfigureAwait(false);
            throw;
        }

        var subscription = await subscribing.ConfigureAwait(false);
        await using (subscription.ConfigureAwait(false))
        {
            // The decision this delivery resumes from is announced if its readers never heard of it (the decider could
            // not publish it, or the bus let the paused run's events expire): it also tells the relay that the decided
            // step is told again.
            if (LatestDecision(records) is { StepId: { } decided } decision && !relay.HasResolved(decided))
            {
                await relay.PublishAsync(decision).ConfigureAwait(false);
            }

            var run = _engine.Start(workflow, request.Input, new RunOptions
            {
                RunId = request.RunId, TenantId = request.TenantId, Policy = request.Policy, Resume = records.Count > 0, ResumeFrom = records,
                DeliverEventsInline = true,
            }, cancellation.Token);
            // A run whose outcome the ledger could not commit is not over: its entry stays pending and a later
            // delivery resumes it. Its readers hear of the failure only if the ledger does hold the run's end.
            List<MeshEvent>? withheld = null;
            await foreach (var batch in run.ReadEventBatchesAsync().ConfigureAwait(false))
            {
                foreach (var evt in TokenDeltaCoalescer.Coalesce(batch))
                {
                    if (IsLedgerFailure(evt))
                    {
                        (withheld ??= []).Add(evt);
                        continue;
                    }

                    await relay.PublishAsync(evt).ConfigureAwait(false);
                }
            }

            var result = await run.Completion.ConfigureAwait(false);
            if (withheld is not null
                && await _ledger.Store.ReadRunAsync(request.TenantId, request.RunId, CancellationToken.None).ConfigureAwait(false) is { HasEnded: true })
            {
                foreach (var evt in withheld)
                {
                    await relay.PublishAsync(evt).ConfigureAwait(false);
                }
            }

            return (result, relay.LastSeq);
        }
    }

    private static HitlResolvedEvent? LatestDecision(IReadOnlyList<LedgerRecord> records)
    {
        for (var i = records.Count - 1; i >= 0; i--)
        {
            if (records[i] is { Kind: LedgerRecordKinds.HitlDecision, Redacted: false } record)
            {
                var decision = ApprovalPayloads.ReadDecision(record.Payload);
                return new HitlResolvedEvent
                {
                    RunId = record.RunId, NodeId = record.NodeId, StepId = decision.StepId, Decision = decision.Decision,
                    ReviewerId = decision.ReviewerId, DecidedAt = decision.DecidedAt,
                };
            }

            if (records[i].Kind == LedgerRecordKinds.HitlPause)
            {
                return null;
            }
        }

        return null;
    }

    private static bool IsLedgerFailure(MeshEvent evt) =>
        evt is ErrorEvent { Code: RunErrorCodes.LedgerFailed } or RunEndEvent { Error.Code: RunErrorCodes.LedgerFailed };

    private static async Task DisposeQuietlyAsync(Task<IAsyncDisposable> subscribing)
    {
        try
        {
            await (await subscribing.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The relay's failure is the one reported; the subscription's own is secondary.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static void TryCancel(CancellationTokenSource cancellation)
    {
        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run already ended.
        }
    }

    // Ends a run in the ledger without executing it, and tells its readers.
    private async Task EndWithoutExecutingAsync(RunRequest request, RunStatus status, string code, string message, CancellationToken cancellationToken)
    {
        var error = new RunError(code, message);
        var ended = await _ledger.EndRunAsync(request.TenantId, request.RunId,
            new RunEndPayload { Status = WireNames.Of(status), Output = string.Empty, Error = error }, cancellationToken).ConfigureAwait(false);
        if (!ended)
        {
            return;
        }

        var records = await _ledger.Store.ReadRecordsAsync(request.TenantId, request.RunId, cancellationToken).ConfigureAwait(false);
        var relay = await EventRelay.OpenAsync(_events, request.TenantId, request.RunId, EventSeqFloor(request, records)).ConfigureAwait(false);
        await relay.PublishAsync(new ErrorEvent { RunId = request.RunId, Code = code, Message = message }).ConfigureAwait(false);
        await relay.PublishAsync(new RunEndEvent { RunId = request.RunId, Status = status, Output = string.Empty, Error = error }).ConfigureAwait(false);
    }

    private static Activity? StartProcessActivity(RunRequest request)
    {
        ActivityContext.TryParse(request.TraceParent, request.TraceState, isRemote: true, out var parent);
        var activity = MeshFlowTelemetry.ActivitySource.StartActivity(ActivityNames.Process, ActivityKind.Consumer, parent);
        activity?.SetTag(TagNames.RunId, request.RunId);
        activity?.SetTag(TagNames.Tenant, request.TenantId);
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} paused, but the number of its last event could not be kept with its pause")]
    private partial void LogEventSeqNotKept(Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the run queue failed; retrying")]
    private partial void LogQueueReadFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed on delivery {DeliveryCount}; its entry stays pending and will be delivered again")]
    private partial void LogRunFailed(Exception exception, string runId, int deliveryCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} was delivered {DeliveryCount} times and moved to the dead-letter stream; it is marked failed")]
    private partial void LogDeadLettered(string runId, int deliveryCount);

    /// <summary>Numbers a run's events after those already published, leaving out what a previous worker published.</summary>
    private sealed class EventRelay
    {
        private readonly IRunEventBus _bus;
        private readonly string _tenantId;
        private readonly string _runId;
        private readonly HashSet<string> _started = new(StringComparer.Ordinal);
        private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
        private readonly HashSet<string> _resolved = new(StringComparer.Ordinal);
        private bool _runStarted;
        private long _seq;

        private EventRelay(IRunEventBus bus, string tenantId, string runId)
        {
            _bus = bus;
            _tenantId = tenantId;
            _runId = runId;
        }

        public long LastSeq => _seq;

        /// <summary>Whether a <c>hitl_resolved</c> of this step was already published.</summary>
        public bool HasResolved(string stepId) => _resolved.Contains(stepId);

        public static async Task<EventRelay> OpenAsync(IRunEventBus bus, string tenantId, string runId, Func<Task<long>>? floor = null)
        {
            var relay = new EventRelay(bus, tenantId, runId);
            relay._seq = await bus.LastSeqAsync(tenantId, runId).ConfigureAwait(false);
            if (relay._seq == 0 && floor is not null)
            {
                // The bus let this paused run's events expire: go on after the last number its readers were given.
                relay._seq = await floor().ConfigureAwait(false);
            }

            if (relay._seq > 0)
            {
                await foreach (var kept in bus.ReadKeptAsync(tenantId, runId, 0).ConfigureAwait(false))
                {
                    relay.Remember(kept);
                }
            }

            return relay;
        }

        public ValueTask PublishAsync(MeshEvent evt)
        {
            if (AlreadyPublished(evt))
            {
                return ValueTask.CompletedTask;
            }

            if (evt is HitlResolvedEvent { StepId: { } decided })
            {
                Forget(decided);
            }

            var numbered = evt with { Seq = ++_seq };
            // UTF-8, as it goes on the wire: a string would be transcoded twice (by the serializer, then by the bus).
            var json = JsonSerializer.SerializeToUtf8Bytes(numbered);
            return _bus.PublishAsync(_tenantId, _runId, new RunEventEnvelope(numbered.Seq, numbered.Kind, json));
        }

        private bool AlreadyPublished(MeshEvent evt) => evt switch
        {
            // A pause is announced once per execution that pauses; a resolution is published by whoever decided.
            HitlPauseEvent or HitlResolvedEvent => false,
            RunStartEvent => !Mark(ref _runStarted),
            StepStartEvent { StepId: { } step } => !_started.Add(step),
            { StepId: { } step } when _ended.Contains(step) => true,
            StepEndEvent { StepId: { } step } => !_ended.Add(step),
            _ => false,
        };

        private static bool Mark(ref bool flag)
        {
            var first = !flag;
            flag = true;
            return first;
        }

        private void Remember(RunEventEnvelope kept)
        {
            _seq = Math.Max(_seq, kept.Seq);
            switch (kept.Kind)
            {
                case MeshEventKinds.RunStart:
                    _runStarted = true;
                    break;
                case MeshEventKinds.HitlResolved:
                    // The decided step is told again from here: its settled end, or (approved before its call) its run.
                    if (StepIdOf(kept) is { } resolvedStep)
                    {
                        Forget(resolvedStep);
                    }

                    break;
                case MeshEventKinds.StepStart or MeshEventKinds.StepEnd:
                    if (StepIdOf(kept) is { } stepId)
                    {
                        (kept.Kind == MeshEventKinds.StepStart ? _started : _ended).Add(stepId);
                    }

                    break;
            }
        }

        private void Forget(string decidedStep)
        {
            _started.Remove(decidedStep);
            _ended.Remove(decidedStep);
            _resolved.Add(decidedStep);
        }

        private static string? StepIdOf(RunEventEnvelope kept)
        {
            using var doc = JsonDocument.Parse(kept.Json);
            return doc.RootElement.TryGetProperty("step_id", out var step) ? step.GetString() : null;
        }
    }
}
