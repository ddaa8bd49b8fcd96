using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>
/// Migration 5: <c>ledger_records</c> gains <c>agent_did</c> (the DID of the agent that produced a format 2 record),
/// and the append-only trigger of migration 3 is recreated so the new header column is as immutable as the others.
/// </summary>
internal sealed class Migration0005AgentDid : SqliteMigration
{
    public override int Version => 5;

    public override string Description => "agent_did on ledger_records";

    public override void Apply(SqliteConnection connection, SqliteTransaction transaction)
    {
        if (!Columns(connection, transaction, "ledger_records").Contains("agent_did"))
        {
            Execute(connection, transaction, "ALTER TABLE ledger_records ADD COLUMN agent_did TEXT");
        }

        Execute(connection, transaction, """
            DROP TRIGGER IF EXISTS ledger_records_header_immutable;

            CREATE TRIGGER ledger_records_header_immutable
            BEFORE UPDATE OF tenant_id, run_id, seq, format_version, prev_hash, ts, kind, node_id, agent_id, step_id, verdict,
                block_reason, tokens_input, tokens_output, tokens_estimated, cost_usd, duration_ms, uncertainty, signing_key_id,
                payload_hash, entry_hash, agent_did
            ON ledger_records
            BEGIN
                SELECT RAISE(ABORT, 'ledger records are append-only: only a payload may be erased');
            END;
            """);
    }
}
