using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>
/// Migration 2: <c>ledger_records</c> gains <c>payload_compressed</c> and <c>redacted</c>, and an index to find a
/// step's record. SQLite has no <c>ADD COLUMN IF NOT EXISTS</c>, so the columns are looked up first.
/// </summary>
internal sealed class Migration0002PayloadFlags : SqliteMigration
{
    public override int Version => 2;

    public override string Description => "payload_compressed and redacted flags, step index";

    public override void Apply(SqliteConnection connection, SqliteTransaction transaction)
    {
        var columns = Columns(connection, transaction, "ledger_records");
        if (!columns.Contains("payload_compressed"))
        {
            Execute(connection, transaction, "ALTER TABLE ledger_records ADD COLUMN payload_compressed INTEGER NOT NULL DEFAULT 0");
        }

        if (!columns.Contains("redacted"))
        {
            Execute(connection, transaction, "ALTER TABLE ledger_records ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0");
        }

        Execute(connection, transaction, "CREATE INDEX IF NOT EXISTS ix_ledger_records_step ON ledger_records (tenant_id, run_id, step_id)");
    }
}
