using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>
/// Migration 6: the governance tables (agent identities, tenant policies) and the index behind a tenant's spend.
/// </summary>
/// <remarks>
/// The spend index is partial: it holds only step records that cost something, so appending a zero-cost record (every
/// record of an offline run) writes nothing to it. <c>cost_usd</c> is decimal text whose scale varies ("0", "0.00"),
/// so a zero is recognised by its value, not its spelling; the spend query repeats the predicate word for word, which
/// is how SQLite knows the index applies.
/// </remarks>
internal sealed class Migration0006Governance : SqliteMigration
{
    /// <summary>The predicate of the spend index, which the spend query must repeat exactly.</summary>
    public const string CostlyStep = "kind = 'step' AND CAST(cost_usd AS REAL) <> 0";

    public override int Version => 6;

    public override string Description => "agents, tenant policies, tenant spend index";

    public override void Apply(SqliteConnection connection, SqliteTransaction transaction) => Execute(connection, transaction, $"""
        CREATE TABLE IF NOT EXISTS agents (
            tenant_id TEXT NOT NULL,
            workflow TEXT NOT NULL,
            node_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            did TEXT NOT NULL,
            public_key BLOB NOT NULL,
            capabilities TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER,
            revoked_reason TEXT,
            PRIMARY KEY (tenant_id, workflow, node_id)
        ) STRICT;

        CREATE UNIQUE INDEX IF NOT EXISTS ux_agents_did ON agents (tenant_id, did);

        CREATE TABLE IF NOT EXISTS tenant_policies (
            tenant_id TEXT NOT NULL PRIMARY KEY,
            policy TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;

        CREATE INDEX IF NOT EXISTS ix_ledger_records_spend ON ledger_records (tenant_id, ts, cost_usd) WHERE {CostlyStep};
        """);
}
