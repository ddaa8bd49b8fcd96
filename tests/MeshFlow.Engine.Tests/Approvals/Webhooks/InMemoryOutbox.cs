using MeshFlow.Approvals;
using MeshFlow.Ledger;

namespace MeshFlow.Tests.Approvals.Webhooks;

/// <summary>
/// The outbox part of <see cref="IApprovalStore"/>, in memory, for the dispatcher's tests: claims, attempts and
/// disabled endpoints. Pauses and leases are not the dispatcher's business and throw.
/// </summary>
internal sealed class InMemoryOutbox : IApprovalStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WebhookMessage> _messages = [];
    private readonly Dictionary<string, DateTimeOffset> _claimedUntil = [];
    private readonly List<(WebhookAttempt Attempt, string State, DateTimeOffset? Next)> _attempts = [];
    private readonly HashSet<(string TenantId, string Url)> _disabled = [];
    private readonly List<(string MessageId, TaskCompletionSource<WebhookAttempt> Recorded)> _waiters = [];

    public void Add(WebhookMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message.Id, message);
        }
    }

    public WebhookMessage Message(string id)
    {
        lock (_gate)
        {
            return _messages[id];
        }
    }

    public IReadOnlyList<(WebhookAttempt Attempt, string State, DateTimeOffset? Next)> AttemptsOf(string messageId)
    {
        lock (_gate)
        {
            return [.. _attempts.Where(a => a.Attempt.MessageId == messageId)];
        }
    }

    /// <summary>Completes when the next attempt of <paramref name="messageId"/> is recorded; ask before it can happen.</summary>
    public Task<WebhookAttempt> NextAttemptRecorded(string messageId)
    {
        var recorded = new TaskCompletionSource<WebhookAttempt>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((messageId, recorded));
        }

        return recorded.Task;
    }

    public Task<IReadOnlyList<WebhookMessage>> ClaimDueWebhooksAsync(DateTimeOffset now, int max, TimeSpan claimFor, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var due = _messages.Values
                .Where(m => m.State == WebhookMessageState.Pending && m.NextAttemptAt <= now
                    && (!_claimedUntil.TryGetValue(m.Id, out var until) || until <= now))
                .OrderBy(m => m.NextAttemptAt)
                .Take(max)
                .ToList();
            foreach (var message in due)
            {
                _claimedUntil[message.Id] = now + claimFor;
            }

            return Task.FromResult<IReadOnlyList<WebhookMessage>>(due);
        }
    }

    public Task RecordWebhookAttemptAsync(WebhookAttempt attempt, string state, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken = default)
    {
        List<TaskCompletionSource<WebhookAttempt>> toComplete;
        lock (_gate)
        {
            _attempts.Add((attempt, state, nextAttemptAt));
            var message = _messages[attempt.MessageId];
            _messages[attempt.MessageId] = message with
            {
                Attempts = message.Attempts + 1, State = state, NextAttemptAt = nextAttemptAt ?? message.NextAttemptAt,
            };
            _claimedUntil.Remove(attempt.MessageId);
            toComplete = [.. _waiters.Where(w => w.MessageId == attempt.MessageId).Select(w => w.Recorded)];
            _waiters.RemoveAll(w => w.MessageId == attempt.MessageId);
        }

        foreach (var waiter in toComplete)
        {
            waiter.SetResult(attempt);
        }

        return Task.CompletedTask;
    }

    public Task DisableWebhookEndpointAsync(string tenantId, string url, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _disabled.Add((tenantId, url));
        }

        return Task.CompletedTask;
    }

    public Task<bool> IsWebhookEndpointDisabledAsync(string tenantId, string url, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_disabled.Contains((tenantId, url)));
        }
    }

    public Task PauseAsync(LedgerRecord record, ApprovalPause pause, IReadOnlyList<WebhookMessage> notifications, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<(ApprovalPause Pause, bool Won)?> ResolveAsync(LedgerRecord record, ApprovalResolution resolution, IReadOnlyList<WebhookMessage> notifications,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> EscalateAsync(LedgerRecord record, long pauseSeq, DateTimeOffset newExpiresAt, IReadOnlyList<WebhookMessage> notifications,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ApprovalPause?> ReadPauseAsync(string tenantId, string runId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RecordEventSeqAsync(string tenantId, string runId, long eventSeq, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<long> ReadEventSeqAsync(string tenantId, string runId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ApprovalPause>> ListPendingAsync(string tenantId, int limit, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<long> CountPendingAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ApprovalPause>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<WebhookMessage>> ListWebhooksAsync(string tenantId, string runId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<WebhookAttempt>> ListWebhookAttemptsAsync(string tenantId, string runId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
