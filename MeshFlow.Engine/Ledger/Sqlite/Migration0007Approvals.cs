using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>
/// Migration 7: the approval tables (pauses and their decisions), the webhook outbox with its attempts and disabled
/// endpoints, and the leases of the background services. Times are unix milliseconds, as in the other tables.
/// </summary>
/// <remarks>
/// <c>ix_hitl_pauses_pending</c> serves a tenant's pending list (oldest first), <c>ix_hitl_pauses_expiry</c> the
/// timeout watcher's scan across tenants, <c>ix_webhook_outbox_due</c> the senders' claim; the <c>_run</c> indexes
/// serve the per-run listings.
/// </remarks>
internal sealed class Migration0007Approvals : SqliteMigration
{
    public override int Version => 7;

    public override string Description => "approval pauses, webhook outbox, attempts, disabled endpoints, leases";

    public override void Apply(SqliteConnection connection, SqliteTransaction transaction) => Execute(connection, transaction, """
        CREATE TABLE IF NOT EXISTS hitl_pauses (
            tenant_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            pause_seq INTEGER NOT NULL,
            workflow TEXT NOT NULL,
            node_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            stage TEXT NOT NULL,
            reason TEXT NOT NULL,
            block_reason TEXT,
            tier TEXT,
            context TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            on_timeout TEXT NOT NULL,
            timeout_seconds INTEGER NOT NULL,
            webhook_url TEXT,
            escalate_to TEXT,
            escalated INTEGER NOT NULL,
            state TEXT NOT NULL,
            reviewer_id TEXT,
            notes TEXT,
            decided_at INTEGER,
            decision_seq INTEGER,
            event_seq INTEGER,
            PRIMARY KEY (tenant_id, run_id, pause_seq)
        ) STRICT;

        CREATE INDEX IF NOT EXISTS ix_hitl_pauses_pending ON hitl_pauses (tenant_id, state, created_at);
        CREATE INDEX IF NOT EXISTS ix_hitl_pauses_expiry ON hitl_pauses (state, expires_at);

        CREATE TABLE IF NOT EXISTS webhook_outbox (
            id TEXT NOT NULL PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            type TEXT NOT NULL,
            url TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            deadline INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            state TEXT NOT NULL,
            claimed_until INTEGER
        ) STRICT;

        CREATE INDEX IF NOT EXISTS ix_webhook_outbox_due ON webhook_outbox (state, next_attempt_at);
        CREATE INDEX IF NOT EXISTS ix_webhook_outbox_run ON webhook_outbox (tenant_id, run_id, created_at);

        CREATE TABLE IF NOT EXISTS webhook_attempts (
            message_id TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            tenant_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            at INTEGER NOT NULL,
            status_code INTEGER,
            outcome TEXT NOT NULL,
            error TEXT,
            duration_ms REAL NOT NULL,
            PRIMARY KEY (message_id, attempt)
        ) STRICT;

        CREATE INDEX IF NOT EXISTS ix_webhook_attempts_run ON webhook_attempts (tenant_id, run_id, at);

        CREATE TABLE IF NOT EXISTS webhook_disabled_endpoints (
            tenant_id TEXT NOT NULL,
            url TEXT NOT NULL,
            disabled_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, url)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS leases (
            name TEXT NOT NULL PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        ) STRICT;
        """);
}
