using MeshFlow.Approvals;

namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>
/// The approval store's statements (migration 7's tables). Every one is parameterised; every one a tenant's request
/// reaches is filtered by tenant. Text tie-breakers order in the "C" collation (by UTF-8 bytes, as on SQLite).
/// </summary>
internal static class PostgresApprovalSql
{
    /// <summary>
    /// Inserts a pending pause: $1 tenant, $2 run, $3 pause seq, $4 workflow, $5 node, $6 step, $7 stage, $8 reason,
    /// $9 block reason, $10 tier, $11 context, $12 created at, $13 expires at, $14 expiry action, $15 timeout seconds,
    /// $16 webhook URL, $17 escalate-to URL, $18 state.
    /// </summary>
    public const string InsertPause = $"""
        INSERT INTO hitl_pauses ({ApprovalRows.PauseColumns})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, false, $18, NULL, NULL, NULL, NULL)
        """;

    /// <summary>Sets the status of run ($1 tenant, $2 run) to $3.</summary>
    public const string SetRunStatus = "UPDATE runs SET status = $3 WHERE tenant_id = $1 AND run_id = $2";

    /// <summary>
    /// Decides pause ($1 tenant, $2 run, $3 pause seq) if it is still pending: $4 state, $5 reviewer, $6 notes, $7
    /// decided at, $8 the decision's sequence number. Returns the decided pause, or no row. A concurrent decision holds
    /// the row's lock until it commits; this one then finds the pause decided and changes nothing.
    /// </summary>
    public const string Decide = $"""
        UPDATE hitl_pauses SET state = $4, reviewer_id = $5, notes = $6, decided_at = $7, decision_seq = $8
        WHERE tenant_id = $1 AND run_id = $2 AND pause_seq = $3 AND state = 'pending'
        RETURNING {ApprovalRows.PauseColumns}
        """;

    /// <summary>Moves pause ($1 tenant, $2 run, $3 pause seq)'s deadline to $4 once, if it is pending and not escalated yet.</summary>
    public const string Escalate = """
        UPDATE hitl_pauses SET escalated = true, expires_at = $4
        WHERE tenant_id = $1 AND run_id = $2 AND pause_seq = $3 AND state = 'pending' AND NOT escalated
        """;

    /// <summary>The pause ($1 tenant, $2 run, $3 pause seq).</summary>
    public const string ReadPause =
        $"SELECT {ApprovalRows.PauseColumns} FROM hitl_pauses WHERE tenant_id = $1 AND run_id = $2 AND pause_seq = $3";

    /// <summary>The latest pause of ($1 tenant, $2 run).</summary>
    public const string ReadLatestPause =
        $"SELECT {ApprovalRows.PauseColumns} FROM hitl_pauses WHERE tenant_id = $1 AND run_id = $2 ORDER BY pause_seq DESC LIMIT 1";

    /// <summary>
    /// Erases what a pause of ($1 tenant, $2 run) copied from the run (context, reason, notes) when the run's payloads are
    /// erased ($3 null: all of them) or its pause or decision record is among those erased ($3).
    /// </summary>
    public const string RedactPauses = """
        UPDATE hitl_pauses SET context = '{"redacted":true}', reason = 'redacted', notes = CASE WHEN notes IS NULL THEN NULL ELSE 'redacted' END
        WHERE tenant_id = $1 AND run_id = $2 AND ($3::bigint[] IS NULL OR pause_seq = ANY ($3) OR decision_seq = ANY ($3))
        """;

    /// <summary>Erases the bodies of the run's notifications alongside (<see cref="RedactPauses"/>); an unsent one is not sent.</summary>
    public const string RedactMessages = """
        UPDATE webhook_outbox SET body = '{"redacted":true}', state = CASE WHEN state = 'pending' THEN 'failed' ELSE state END
        WHERE tenant_id = $1 AND run_id = $2 AND ($3::bigint[] IS NULL OR EXISTS (
            SELECT 1 FROM hitl_pauses p WHERE p.tenant_id = $1 AND p.run_id = $2 AND (p.pause_seq = ANY ($3) OR p.decision_seq = ANY ($3))))
        """;

    /// <summary>Raises (never lowers) the event number kept with the latest pause of ($1 tenant, $2 run) to $3.</summary>
    public const string RecordEventSeq = """
        UPDATE hitl_pauses SET event_seq = $3
        WHERE tenant_id = $1 AND run_id = $2 AND (event_seq IS NULL OR event_seq < $3)
          AND pause_seq = (SELECT MAX(pause_seq) FROM hitl_pauses WHERE tenant_id = $1 AND run_id = $2)
        """;

    /// <summary>The highest event number kept with the pauses of ($1 tenant, $2 run), or 0.</summary>
    public const string ReadEventSeq = "SELECT COALESCE(MAX(event_seq), 0) FROM hitl_pauses WHERE tenant_id = $1 AND run_id = $2";

    /// <summary>Tenant $1's pending pauses, oldest first, at most $2.</summary>
    public const string ListPending = $"""
        SELECT {ApprovalRows.PauseColumns} FROM hitl_pauses WHERE tenant_id = $1 AND state = 'pending'
        ORDER BY created_at, run_id COLLATE "C", pause_seq LIMIT $2
        """;

    /// <summary>The number of every tenant's pending pauses.</summary>
    public const string CountPending = "SELECT COUNT(*) FROM hitl_pauses WHERE state = 'pending'";

    /// <summary>Every tenant's pending pauses whose deadline is at or before $1 (unix ms), oldest deadline first, at most $2.</summary>
    public const string ListExpired = $"""
        SELECT {ApprovalRows.PauseColumns} FROM hitl_pauses WHERE state = 'pending' AND expires_at <= $1
        ORDER BY expires_at, tenant_id COLLATE "C", run_id COLLATE "C", pause_seq LIMIT $2
        """;

    /// <summary>
    /// Inserts an outbox message: $1 id, $2 tenant, $3 run, $4 type, $5 URL, $6 body, $7 created at, $8 next attempt
    /// at, $9 deadline, $10 attempts, $11 state.
    /// </summary>
    public const string InsertMessage = $"""
        INSERT INTO webhook_outbox ({ApprovalRows.MessageColumns}, claimed_until)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL)
        """;

    /// <summary>
    /// Claims until $3 at most $2 pending messages due at $1 (unix ms) and not claimed past it. Rows another claim has
    /// locked are skipped, and a row another claim changed meanwhile is judged again as it now is, so two claims never
    /// share a message. Returns the claimed messages, in no order.
    /// </summary>
    public const string ClaimDue = $"""
        UPDATE webhook_outbox SET claimed_until = $3
        FROM (
            SELECT id AS due_id FROM webhook_outbox
            WHERE state = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
            ORDER BY next_attempt_at, id COLLATE "C"
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ) AS due
        WHERE id = due.due_id
        RETURNING {ApprovalRows.MessageColumns}
        """;

    /// <summary>
    /// Records attempt ($1 message, $2 tenant, $3 run, $4 number, $5 at, $6 status code, $7 outcome, $8 error, $9
    /// duration) and moves message $1 of tenant $2 to state $10, due at $11 when not NULL, releasing its claim; one
    /// statement, so both or neither. Inserts nothing when the tenant has no such message.
    /// </summary>
    public const string RecordAttempt = $"""
        WITH moved AS (
            UPDATE webhook_outbox
            SET attempts = attempts + 1, state = $10, next_attempt_at = coalesce($11, next_attempt_at), claimed_until = NULL
            WHERE id = $1 AND tenant_id = $2
            RETURNING id
        )
        INSERT INTO webhook_attempts ({ApprovalRows.AttemptColumns})
        SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 FROM moved
        """;

    /// <summary>The messages of ($1 tenant, $2 run), oldest first.</summary>
    public const string ListMessages = $"""
        SELECT {ApprovalRows.MessageColumns} FROM webhook_outbox WHERE tenant_id = $1 AND run_id = $2 ORDER BY created_at, id COLLATE "C"
        """;

    /// <summary>The attempts at the messages of ($1 tenant, $2 run), in order.</summary>
    public const string ListAttempts = $"""
        SELECT {ApprovalRows.AttemptColumns} FROM webhook_attempts WHERE tenant_id = $1 AND run_id = $2 ORDER BY at, message_id COLLATE "C", attempt
        """;

    /// <summary>Disables URL $2 for tenant $1 at $3 (unix ms), unless it is disabled already.</summary>
    public const string DisableEndpoint = """
        INSERT INTO webhook_disabled_endpoints (tenant_id, url, disabled_at) VALUES ($1, $2, $3)
        ON CONFLICT (tenant_id, url) DO NOTHING
        """;

    /// <summary>Whether URL $2 is disabled for tenant $1.</summary>
    public const string IsEndpointDisabled = "SELECT EXISTS (SELECT 1 FROM webhook_disabled_endpoints WHERE tenant_id = $1 AND url = $2)";

    /// <summary>
    /// Gives lease $1 to holder $2 until $4 when it is free, expired at $3 (unix ms), or already $2's; otherwise changes
    /// nothing (no row affected). A concurrent taker of a free lease waits for the first, then finds it held.
    /// </summary>
    public const string AcquireLease = """
        INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $4)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at <= $3
        """;
}
