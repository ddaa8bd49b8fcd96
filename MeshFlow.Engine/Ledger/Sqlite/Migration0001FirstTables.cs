using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>
/// Migration 1: the first tables (runs, ledger records, checkpoints, run heads, signing keys). Tables are
/// <c>STRICT</c>, so a value of the wrong type is refused rather than silently stored.
/// </summary>
internal sealed class Migration0001FirstTables : SqliteMigration
{
    public override int Version => 1;

    public override string Description => "the first tables";

    public override void Apply(SqliteConnection connection, SqliteTransaction transaction) => Execute(connection, transaction, """
        CREATE TABLE IF NOT EXISTS runs (
            tenant_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            workflow TEXT NOT NULL,
            status TEXT NOT NULL,
            last_seq INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, run_id)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS ledger_records (
            tenant_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            format_version INTEGER NOT NULL,
            prev_hash TEXT NOT NULL,
            ts INTEGER NOT NULL,
            kind TEXT NOT NULL,
            node_id TEXT,
            agent_id TEXT,
            step_id TEXT,
            verdict TEXT,
            block_reason TEXT,
            tokens_input INTEGER NOT NULL,
            tokens_output INTEGER NOT NULL,
            tokens_estimated INTEGER NOT NULL,
            cost_usd TEXT NOT NULL,
            duration_ms REAL NOT NULL,
            uncertainty REAL,
            signing_key_id TEXT NOT NULL,
            payload_hash TEXT NOT NULL,
            entry_hash TEXT NOT NULL,
            payload BLOB NOT NULL,
            PRIMARY KEY (tenant_id, run_id, seq)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS checkpoints (
            tenant_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            state TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, run_id)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS run_heads (
            tenant_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            entry_hash TEXT NOT NULL,
            signed_at INTEGER NOT NULL,
            key_id TEXT NOT NULL,
            signature TEXT NOT NULL,
            PRIMARY KEY (tenant_id, run_id)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS signing_keys (
            tenant_id TEXT NOT NULL,
            key_id TEXT NOT NULL,
            public_key BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, key_id)
        ) STRICT;
        """);
}
