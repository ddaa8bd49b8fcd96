using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>
/// Migration 3: the database itself keeps <c>ledger_records</c> append-only. Deleting a record, or updating any
/// column but <c>payload</c>, <c>payload_compressed</c> and <c>redacted</c>, is aborted; those three may change
/// only by erasure (the row ends up <c>redacted = 1</c>, and stays so).
/// </summary>
/// <remarks>A later migration that adds a column to <c>ledger_records</c> must recreate
/// <c>ledger_records_header_immutable</c> with the new column in its list.</remarks>
internal sealed class Migration0003AppendOnlyTriggers : SqliteMigration
{
    public override int Version => 3;

    public override string Description => "append-only triggers on ledger_records";

    public override void Apply(SqliteConnection connection, SqliteTransaction transaction) => Execute(connection, transaction, """
        CREATE TRIGGER IF NOT EXISTS ledger_records_no_delete
        BEFORE DELETE ON ledger_records
        BEGIN
            SELECT RAISE(ABORT, 'ledger records are append-only');
        END;

        CREATE TRIGGER IF NOT EXISTS ledger_records_header_immutable
        BEFORE UPDATE OF tenant_id, run_id, seq, format_version, prev_hash, ts, kind, node_id, agent_id, step_id, verdict,
            block_reason, tokens_input, tokens_output, tokens_estimated, cost_usd, duration_ms, uncertainty, signing_key_id,
            payload_hash, entry_hash
        ON ledger_records
        BEGIN
            SELECT RAISE(ABORT, 'ledger records are append-only: only a payload may be erased');
        END;

        CREATE TRIGGER IF NOT EXISTS ledger_records_erasure_only
        BEFORE UPDATE OF payload, payload_compressed, redacted ON ledger_records
        WHEN NEW.redacted IS NOT 1
        BEGIN
            SELECT RAISE(ABORT, 'ledger records are append-only: a payload may only be replaced by erasure');
        END;
        """);
}
