using MeshFlow.Ledger;

namespace MeshFlow.Approvals;

/// <summary>
/// Where pauses, their decisions, the webhook outbox and the timeout watcher's lease live: the ledger's own database
/// (the embedded SQLite file or Postgres), so that a pause, its ledger record and its notification commit together.
/// </summary>
/// <remarks>
/// <para><b>Atomicity.</b> <see cref="PauseAsync"/>, <see cref="ResolveAsync"/> and <see cref="EscalateAsync"/> each
/// append their ledger record (with <see cref="ILedgerStore.AppendAsync"/>'s rules: a taken sequence number throws
/// <see cref="LedgerConflictException"/> and nothing is written), change the pause, set the run's status and insert
/// their outbox messages in one transaction.</para>
/// <para><b>Exactly once.</b> A pause is resolved by a conditional update on its pending state: of any number of
/// concurrent <see cref="ResolveAsync"/> calls (reviewers, the timeout watcher, on any process) exactly one wins; the
/// others write nothing and are answered the pause as the winner left it.</para>
/// <para><b>Run status.</b> A pause sets the run <c>paused</c> (never re-queued by recovery, holding no worker); a
/// decision sets it <c>queued</c>, so the run is resumed (and recovered if queuing it fails).</para>
/// <para><b>Tenancy.</b> Every read is scoped to one tenant, except <see cref="ListExpiredAsync"/> and
/// <see cref="ClaimDueWebhooksAsync"/>, which serve the background services and are never answered to a tenant.</para>
/// </remarks>
public interface IApprovalStore
{
    /// <summary>
    /// Records a pause: appends its <c>hitl_pause</c> record, inserts the pause (its <see cref="ApprovalPause.PauseSeq"/> is
    /// the record's), sets the run <c>paused</c> and inserts <paramref name="notifications"/>, in one transaction.
    /// </summary>
    /// <exception cref="LedgerConflictException">The record's sequence number is taken by a different record.</exception>
    Task PauseAsync(LedgerRecord record, ApprovalPause pause, IReadOnlyList<WebhookMessage> notifications, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resolves a pending pause: marks it decided, appends the <c>hitl_decision</c> record, sets the run <c>queued</c>
    /// and inserts <paramref name="notifications"/>, in one transaction, only if the pause is still pending.
    /// </summary>
    /// <returns>The pause as decided by this call (<c>Won</c> true), or as an earlier decision left it (<c>Won</c>
    /// false, nothing written); null when the tenant has no such pause.</returns>
    /// <exception cref="LedgerConflictException">The record's sequence number is taken: rebuild it on the new tail and retry.</exception>
    Task<(ApprovalPause Pause, bool Won)?> ResolveAsync(LedgerRecord record, ApprovalResolution resolution, IReadOnlyList<WebhookMessage> notifications,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends a pending pause's deadline once (<c>on_timeout: escalate</c>): sets <see cref="ApprovalPause.Escalated"/>
    /// and the new deadline, appends <paramref name="record"/> and inserts <paramref name="notifications"/>, in one
    /// transaction, only if the pause is pending and not yet escalated.
    /// </summary>
    /// <returns>False, writing nothing, when the pause was decided or escalated meanwhile.</returns>
    /// <exception cref="LedgerConflictException">The record's sequence number is taken.</exception>
    Task<bool> EscalateAsync(LedgerRecord record, long pauseSeq, DateTimeOffset newExpiresAt, IReadOnlyList<WebhookMessage> notifications,
        CancellationToken cancellationToken = default);

    /// <summary>The run's latest pause (pending or decided), or null.</summary>
    Task<ApprovalPause?> ReadPauseAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps, with the run's latest pause, the number of the last event the run has published (never lowered), so that
    /// its events go on numbering from there after the event bus let the paused run's events expire.
    /// </summary>
    Task RecordEventSeqAsync(string tenantId, string runId, long eventSeq, CancellationToken cancellationToken = default);

    /// <summary>The highest event number kept with the run's pauses, or 0.</summary>
    Task<long> ReadEventSeqAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's pending pauses, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ApprovalPause>> ListPendingAsync(string tenantId, int limit, CancellationToken cancellationToken = default);

    /// <summary>The number of pending pauses of every tenant: the deployment's approval backlog, for its metrics.</summary>
    Task<long> CountPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>Pending pauses of every tenant whose deadline is at or before <paramref name="now"/>, oldest deadline first.</summary>
    Task<IReadOnlyList<ApprovalPause>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> pending outbox messages due at <paramref name="now"/> and not claimed by
    /// another sender, for <paramref name="claimFor"/>: no other caller gets them until then (a sender that dies
    /// releases them by not renewing). Oldest due first.
    /// </summary>
    Task<IReadOnlyList<WebhookMessage>> ClaimDueWebhooksAsync(DateTimeOffset now, int max, TimeSpan claimFor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records an attempt and moves its message on: to <paramref name="state"/>, due again at
    /// <paramref name="nextAttemptAt"/> when still pending; releases the claim.
    /// </summary>
    Task RecordWebhookAttemptAsync(WebhookAttempt attempt, string state, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken = default);

    /// <summary>The run's outbox messages, oldest first.</summary>
    Task<IReadOnlyList<WebhookMessage>> ListWebhooksAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>Every attempt at the run's messages, in order.</summary>
    Task<IReadOnlyList<WebhookAttempt>> ListWebhookAttemptsAsync(string tenantId, string runId, CancellationToken cancellationToken = default);

    /// <summary>Disables a destination for a tenant (it answered 410); idempotent.</summary>
    Task DisableWebhookEndpointAsync(string tenantId, string url, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Whether the destination is disabled for the tenant.</summary>
    Task<bool> IsWebhookEndpointDisabledAsync(string tenantId, string url, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes or renews the named lease for <paramref name="holder"/> until <paramref name="now"/> +
    /// <paramref name="duration"/>: true when it was free, expired, or already the holder's.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);
}
