using System.Data.Common;
using MeshFlow.Ledger;

namespace MeshFlow.Approvals;

/// <summary>
/// What the SQLite and Postgres approval stores share: the columns of migration 7's tables, how rows read back, how
/// an expiry action is stored, and the checks on the arguments of <see cref="IApprovalStore"/>.
/// </summary>
internal static class ApprovalRows
{
    /// <summary>The <c>hitl_pauses</c> columns <see cref="ReadPause"/> expects, in its order.</summary>
    public const string PauseColumns =
        "tenant_id, run_id, pause_seq, workflow, node_id, step_id, stage, reason, block_reason, tier, context, created_at, expires_at, " +
        "on_timeout, timeout_seconds, webhook_url, escalate_to, escalated, state, reviewer_id, notes, decided_at, decision_seq";

    /// <summary>The <c>webhook_outbox</c> columns <see cref="ReadMessage"/> expects, in its order.</summary>
    public const string MessageColumns = "id, tenant_id, run_id, type, url, body, created_at, next_attempt_at, deadline, attempts, state";

    /// <summary>The <c>webhook_attempts</c> columns <see cref="ReadAttempt"/> expects, in its order.</summary>
    public const string AttemptColumns = "message_id, tenant_id, run_id, attempt, at, status_code, outcome, error, duration_ms";

    /// <summary>The run status a pause sets: never re-queued by recovery.</summary>
    public const string PausedStatus = "paused";

    /// <summary>The run status a decision sets, so the run is resumed.</summary>
    public const string QueuedStatus = "queued";

    /// <summary>Reads a pause selected with <see cref="PauseColumns"/>.</summary>
    public static ApprovalPause ReadPause(DbDataReader reader) => new()
    {
        TenantId = reader.GetString(0),
        RunId = reader.GetString(1),
        PauseSeq = reader.GetInt64(2),
        Workflow = reader.GetString(3),
        NodeId = reader.GetString(4),
        StepId = reader.GetString(5),
        Stage = reader.GetString(6),
        Reason = reader.GetString(7),
        BlockReason = NullableString(reader, 8),
        Tier = NullableString(reader, 9),
        Context = reader.GetString(10),
        CreatedAt = Time(reader.GetInt64(11)),
        ExpiresAt = Time(reader.GetInt64(12)),
        OnTimeout = ParseTimeoutAction(reader.GetString(13)),
        TimeoutSeconds = reader.GetInt32(14),
        WebhookUrl = NullableString(reader, 15),
        EscalateTo = NullableString(reader, 16),
        Escalated = reader.GetBoolean(17),
        State = reader.GetString(18),
        ReviewerId = NullableString(reader, 19),
        Notes = NullableString(reader, 20),
        DecidedAt = reader.IsDBNull(21) ? null : Time(reader.GetInt64(21)),
        DecisionSeq = reader.IsDBNull(22) ? null : reader.GetInt64(22),
    };

    /// <summary>Reads a message selected with <see cref="MessageColumns"/>.</summary>
    public static WebhookMessage ReadMessage(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        TenantId = reader.GetString(1),
        RunId = reader.GetString(2),
        Type = reader.GetString(3),
        Url = reader.GetString(4),
        Body = reader.GetString(5),
        CreatedAt = Time(reader.GetInt64(6)),
        NextAttemptAt = Time(reader.GetInt64(7)),
        Deadline = Time(reader.GetInt64(8)),
        Attempts = reader.GetInt32(9),
        State = reader.GetString(10),
    };

    /// <summary>Reads an attempt selected with <see cref="AttemptColumns"/>.</summary>
    public static WebhookAttempt ReadAttempt(DbDataReader reader) => new()
    {
        MessageId = reader.GetString(0),
        TenantId = reader.GetString(1),
        RunId = reader.GetString(2),
        Attempt = reader.GetInt32(3),
        At = Time(reader.GetInt64(4)),
        StatusCode = reader.IsDBNull(5) ? null : reader.GetInt32(5),
        Outcome = reader.GetString(6),
        Error = NullableString(reader, 7),
        DurationMs = reader.GetDouble(8),
    };

    /// <summary>A pause as <paramref name="resolution"/> decides it, its decision recorded at <paramref name="decisionSeq"/>.</summary>
    public static ApprovalPause Decided(ApprovalPause pause, ApprovalResolution resolution, long decisionSeq) => pause with
    {
        State = resolution.State,
        ReviewerId = resolution.ReviewerId,
        Notes = resolution.Notes,
        DecidedAt = Time(resolution.DecidedAt.ToUnixTimeMilliseconds()),
        DecisionSeq = decisionSeq,
    };

    /// <summary>An expiry action as stored: its wire name.</summary>
    public static string TimeoutActionName(HitlTimeoutAction action) => action switch
    {
        HitlTimeoutAction.Reject => "reject",
        HitlTimeoutAction.Approve => "approve",
        HitlTimeoutAction.Escalate => "escalate",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown expiry action"),
    };

    /// <summary>Checks a pause and its record and notifications.</summary>
    public static void ValidatePause(LedgerRecord record, ApprovalPause pause, IReadOnlyList<WebhookMessage> notifications)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(pause);
        var problem = pause switch
        {
            _ when record.Kind != LedgerRecordKinds.HitlPause => $"a pause is recorded by a {LedgerRecordKinds.HitlPause} record, not {record.Kind}",
            _ when pause.TenantId != record.TenantId || pause.RunId != record.RunId || pause.PauseSeq != record.Seq =>
                "the pause's tenant, run and sequence number must be its record's",
            _ when string.IsNullOrEmpty(pause.Workflow) || string.IsNullOrEmpty(pause.NodeId) || string.IsNullOrEmpty(pause.StepId)
                || string.IsNullOrEmpty(pause.Stage) || pause.Reason is null || pause.Context is null =>
                "a pause needs a workflow, a node, a step, a stage, a reason and a context",
            { State: not ApprovalState.Pending } or { DecidedAt: not null } or { DecisionSeq: not null } =>
                "a pause is recorded pending (it is decided with ResolveAsync)",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(pause));
        }

        _ = TimeoutActionName(pause.OnTimeout);
        ValidateMessages(record, notifications);
    }

    /// <summary>Checks a decision and its record and notifications.</summary>
    public static void ValidateResolution(LedgerRecord record, ApprovalResolution resolution, IReadOnlyList<WebhookMessage> notifications)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(resolution);
        var problem = resolution switch
        {
            _ when record.Kind != LedgerRecordKinds.HitlDecision => $"a decision is recorded by a {LedgerRecordKinds.HitlDecision} record, not {record.Kind}",
            _ when resolution.TenantId != record.TenantId || resolution.RunId != record.RunId => "the decision's tenant and run must be its record's",
            { State: not (ApprovalState.Approved or ApprovalState.Rejected) } => "a decision approves or rejects",
            _ when string.IsNullOrEmpty(resolution.ReviewerId) => "a decision names its reviewer",
            _ when resolution.PauseSeq >= record.Seq => "a decision's record comes after its pause's",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(resolution));
        }

        ValidateMessages(record, notifications);
    }

    /// <summary>Checks an escalation's record and notifications.</summary>
    public static void ValidateEscalation(LedgerRecord record, long pauseSeq, IReadOnlyList<WebhookMessage> notifications)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Kind != LedgerRecordKinds.HitlEscalated)
        {
            throw new ArgumentException($"an escalation is recorded by a {LedgerRecordKinds.HitlEscalated} record, not {record.Kind}", nameof(record));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(pauseSeq, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pauseSeq, record.Seq);
        ValidateMessages(record, notifications);
    }

    /// <summary>Checks an attempt and the state it moves its message to.</summary>
    public static void ValidateAttempt(WebhookAttempt attempt, string state, DateTimeOffset? nextAttemptAt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (string.IsNullOrEmpty(attempt.MessageId) || string.IsNullOrEmpty(attempt.TenantId) || string.IsNullOrEmpty(attempt.RunId)
            || string.IsNullOrEmpty(attempt.Outcome) || attempt.Attempt < 1 || !double.IsFinite(attempt.DurationMs))
        {
            throw new ArgumentException("an attempt needs a message, a tenant, a run, a number from 1, an outcome and a finite duration", nameof(attempt));
        }

        if (state is not (WebhookMessageState.Pending or WebhookMessageState.Delivered or WebhookMessageState.Failed))
        {
            throw new ArgumentException($"'{state}' is not a message state", nameof(state));
        }

        // A pending message without a next time would be due again at once, forever.
        if (state == WebhookMessageState.Pending && nextAttemptAt is null)
        {
            throw new ArgumentException("a message still pending needs the time of its next attempt", nameof(nextAttemptAt));
        }
    }

    private static void ValidateMessages(LedgerRecord record, IReadOnlyList<WebhookMessage> notifications)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        foreach (var message in notifications)
        {
            if (message is null || string.IsNullOrEmpty(message.Id) || string.IsNullOrEmpty(message.Type) || string.IsNullOrEmpty(message.Url)
                || message.Body is null || string.IsNullOrEmpty(message.State))
            {
                throw new ArgumentException("a notification needs an id, a type, a destination, a body and a state", nameof(notifications));
            }

            if (message.TenantId != record.TenantId || message.RunId != record.RunId)
            {
                throw new ArgumentException("a notification belongs to its record's tenant and run", nameof(notifications));
            }
        }
    }

    private static HitlTimeoutAction ParseTimeoutAction(string name) => name switch
    {
        "reject" => HitlTimeoutAction.Reject,
        "approve" => HitlTimeoutAction.Approve,
        "escalate" => HitlTimeoutAction.Escalate,
        _ => throw new InvalidOperationException($"'{name}' is not an expiry action"),
    };

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
