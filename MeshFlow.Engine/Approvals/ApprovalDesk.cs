using System.Text.Json;
using MeshFlow.Events;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshFlow.Approvals;

/// <summary>
/// Where pauses are decided, by reviewers through the API and by the timeout watcher: the decision is recorded exactly
/// once, announced (<c>hitl_resolved</c> and the webhook), and the run queued again for any worker to resume.
/// </summary>
/// <remarks>
/// The decision's ledger record, the pause's new state, the run's <c>queued</c> status and the notification commit
/// together; what follows (the signed head, the event, the queue entry) is best effort, because the run's status
/// already says it must be resumed and the reconciler queues any queued run the queue lost.
/// </remarks>
public sealed partial class ApprovalDesk
{
    /// <summary>The reviewer id of decisions the deadline makes.</summary>
    public const string TimeoutReviewer = "system:timeout";

    /// <summary>The reviewer id of a pause closed because its run was cancelled: the run ends <c>cancelled</c>.</summary>
    public const string CancelReviewer = "system:cancel";

    private readonly AuditLedger _ledger;
    private readonly IRunQueue _queue;
    private readonly IRunEventBus _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a desk over a ledger whose store keeps approvals (both built-in stores do).</summary>
    /// <exception cref="ArgumentException">The ledger's store keeps no approvals.</exception>
    public ApprovalDesk(AuditLedger ledger, IRunQueue queue, IRunEventBus events, TimeProvider? timeProvider = null, string? publicUrl = null,
        ILogger<ApprovalDesk>? logger = null)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        Store = ledger.Store as IApprovalStore
            ?? throw new ArgumentException($"the ledger's store ({ledger.Store.GetType().Name}) keeps no approvals", nameof(ledger));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _time = timeProvider ?? TimeProvider.System;
        PublicUrl = publicUrl;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Where pauses and the outbox are kept.</summary>
    public IApprovalStore Store { get; }

    /// <summary>The API's public base URL for approval links, or null.</summary>
    public string? PublicUrl { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>
    /// Decides the run's pending pause (<paramref name="pauseSeq"/>, when given, must be the one pending): exactly one
    /// decision wins, whoever makes it and wherever.
    /// </summary>
    /// <param name="tenantId">The tenant; another tenant's run is <see cref="ApprovalOutcomeKind.NotFound"/>.</param>
    /// <param name="runId">The run.</param>
    /// <param name="decision"><see cref="ApprovalState.Approved"/> or <see cref="ApprovalState.Rejected"/>.</param>
    /// <param name="reviewerId">Who decides.</param>
    /// <param name="notes">The reviewer's notes, or null.</param>
    /// <param name="pauseSeq">The pause meant, or null for the run's latest.</param>
    /// <param name="keyId">The id of the API key the reviewer decided with, recorded with the decision; null for the system's.</param>
    /// <param name="cancellationToken">Cancels the decision before it is committed.</param>
    public async Task<ApprovalOutcome> DecideAsync(string tenantId, string runId, string decision, string reviewerId, string? notes,
        long? pauseSeq = null, string? keyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reviewerId);
        if (decision is not (ApprovalState.Approved or ApprovalState.Rejected))
        {
            throw new ArgumentException($"a decision is '{ApprovalState.Approved}' or '{ApprovalState.Rejected}'", nameof(decision));
        }

        var pause = await Store.ReadPauseAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
        if (pause is null)
        {
            var run = await _ledger.Store.ReadRunAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
            return run is null ? new ApprovalOutcome(ApprovalOutcomeKind.NotFound) : new ApprovalOutcome(ApprovalOutcomeKind.NotPaused, RunStatus: run.Status);
        }

        if (pause.State != ApprovalState.Pending || (pauseSeq is { } expected && expected != pause.PauseSeq))
        {
            return new ApprovalOutcome(ApprovalOutcomeKind.AlreadyDecided, pause);
        }

        var now = LedgerHashing.Truncate(_time.GetUtcNow());
        var resolution = new ApprovalResolution(tenantId, runId, pause.PauseSeq, decision, reviewerId, notes, now);
        var rejected = decision == ApprovalState.Rejected;
        var entry = new LedgerEntry
        {
            Kind = LedgerRecordKinds.HitlDecision, NodeId = pause.NodeId, StepId = pause.StepId,
            Verdict = WireNames.Of(rejected ? Verdict.Blocked : Verdict.Commit), BlockReason = rejected ? WireNames.Of(BlockReason.HitlRejected) : null,
            Payload = ApprovalPayloads.Decision(new HitlDecisionPayload
            {
                PauseSeq = pause.PauseSeq, StepId = pause.StepId, Decision = decision, ReviewerId = reviewerId, KeyId = keyId, Notes = notes, DecidedAt = now,
                ExpiresAt = pause.ExpiresAt, MetDeadline = reviewerId != TimeoutReviewer && now <= pause.ExpiresAt,
            }),
        };
        var ((stored, won), _) = await _ledger.AppendThroughAsync(tenantId, runId, entry, async (record, token) =>
        {
            var result = await Store.ResolveAsync(record, resolution, ApprovalNotifications.Resolved(pause, resolution), token).ConfigureAwait(false);
            return result is { } r ? ((r.Pause, r.Won), r.Won) : (((ApprovalPause?)null, false), false);
        }, cancellationToken).ConfigureAwait(false);

        if (stored is null)
        {
            return new ApprovalOutcome(ApprovalOutcomeKind.NotFound);
        }

        if (!won)
        {
            return new ApprovalOutcome(ApprovalOutcomeKind.AlreadyDecided, stored);
        }

        await AfterDecisionAsync(stored, resolution).ConfigureAwait(false);
        return new ApprovalOutcome(ApprovalOutcomeKind.Decided, stored);
    }

    /// <summary>
    /// Escalates an expired pause once (<c>on_timeout: escalate</c>): notifies <c>escalate_to</c> and extends the deadline
    /// by the pause's timeout. False when it was decided or escalated meanwhile.
    /// </summary>
    public async Task<bool> EscalateAsync(ApprovalPause pause, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pause);
        var now = LedgerHashing.Truncate(_time.GetUtcNow());
        var newExpiresAt = (pause.ExpiresAt > now ? pause.ExpiresAt : now).AddSeconds(pause.TimeoutSeconds);
        var entry = new LedgerEntry
        {
            Kind = LedgerRecordKinds.HitlEscalated, NodeId = pause.NodeId, StepId = pause.StepId, Verdict = WireNames.Of(Verdict.Escalate),
            Payload = ApprovalPayloads.Escalated(new HitlEscalatedPayload
            {
                PauseSeq = pause.PauseSeq, StepId = pause.StepId, EscalateTo = pause.EscalateTo ?? string.Empty, ExpiredAt = pause.ExpiresAt,
                ExpiresAt = newExpiresAt,
            }),
        };
        var (escalated, _) = await _ledger.AppendThroughAsync(pause.TenantId, pause.RunId, entry, async (record, token) =>
        {
            var done = await Store.EscalateAsync(record, pause.PauseSeq, newExpiresAt,
                ApprovalNotifications.Escalated(pause, now, newExpiresAt, PublicUrl), token).ConfigureAwait(false);
            return (done, done);
        }, cancellationToken).ConfigureAwait(false);
        if (escalated)
        {
            await SignQuietlyAsync(pause.TenantId, pause.RunId).ConfigureAwait(false);
        }

        return escalated;
    }

    // The decision is committed; the rest only speeds the run along and is retried by nothing but the reconciler.
    private async Task AfterDecisionAsync(ApprovalPause pause, ApprovalResolution resolution)
    {
        await SignQuietlyAsync(pause.TenantId, pause.RunId).ConfigureAwait(false);
        try
        {
            // After the bus let a long pause's events expire, numbering goes on from what was kept with the pause.
            var seq = Math.Max(await _events.LastSeqAsync(pause.TenantId, pause.RunId, CancellationToken.None).ConfigureAwait(false),
                await Store.ReadEventSeqAsync(pause.TenantId, pause.RunId, CancellationToken.None).ConfigureAwait(false)) + 1;
            var resolved = new HitlResolvedEvent
            {
                RunId = pause.RunId, Seq = seq, Timestamp = resolution.DecidedAt, NodeId = pause.NodeId, StepId = pause.StepId,
                Decision = resolution.State, ReviewerId = resolution.ReviewerId, DecidedAt = resolution.DecidedAt,
            };
            await _events.PublishAsync(pause.TenantId, pause.RunId,
                new RunEventEnvelope(seq, resolved.Kind, JsonSerializer.SerializeToUtf8Bytes<MeshEvent>(resolved)), CancellationToken.None).ConfigureAwait(false);
            await Store.RecordEventSeqAsync(pause.TenantId, pause.RunId, seq, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAnnounceFailed(ex, pause.RunId);
        }

        try
        {
            await RequeueAsync(pause.TenantId, pause.RunId).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRequeueFailed(ex, pause.RunId);
        }
    }

    private async Task RequeueAsync(string tenantId, string runId)
    {
        var records = await _ledger.Store.ReadRecordsAsync(tenantId, runId, CancellationToken.None).ConfigureAwait(false);
        if (RunRequest.FromRecords(tenantId, runId, records, _time.GetUtcNow()) is not { } request)
        {
            LogNotQueueable(runId);
            return;
        }

        await _queue.EnqueueAsync(request, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task SignQuietlyAsync(string tenantId, string runId)
    {
        try
        {
            await _ledger.SignHeadAsync(tenantId, runId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The head is signed again when the run ends or pauses next.
            LogSignFailed(ex, runId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The decision on run {RunId} is committed but its hitl_resolved event could not be published")]
    private partial void LogAnnounceFailed(Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The decision on run {RunId} is committed but the run could not be queued; the reconciler queues it")]
    private partial void LogRequeueFailed(Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} was decided but has no submitted definition to resume it from")]
    private partial void LogNotQueueable(string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The head of run {RunId} could not be signed after its decision; it is signed when the run ends")]
    private partial void LogSignFailed(Exception exception, string runId);
}
