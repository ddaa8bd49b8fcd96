using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>
/// Migration 4: the indexes behind listing a tenant's runs newest first, by (created_at, run_id), with or without a
/// status filter; keyset pages then read only the rows they return.
/// </summary>
internal sealed class Migration0004RunListIndexes : SqliteMigration
{
    public override int Version => 4;

    public override string Description => "run listing indexes";

    public override void Apply(SqliteConnection connection, SqliteTransaction transaction) => Execute(connection, transaction, """
        CREATE INDEX IF NOT EXISTS ix_runs_created ON runs (tenant_id, created_at, run_id);
        CREATE INDEX IF NOT EXISTS ix_runs_status_created ON runs (tenant_id, status, created_at, run_id);
        """);
}
