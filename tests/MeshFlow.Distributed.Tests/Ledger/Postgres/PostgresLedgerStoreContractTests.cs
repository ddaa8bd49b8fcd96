using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Ledger;
using MeshFlow.Testing.Postgres;
using MeshFlow.Tests.Ledger.Contract;

namespace MeshFlow.Distributed.Tests.Ledger.Postgres;

/// <summary>The shared ledger store contract, against a fresh Postgres database per test.</summary>
public sealed class PostgresLedgerStoreContractTests(PostgresFixture postgres) : LedgerStoreContractTests
{
    private string _connectionString = null!;

    protected override async Task<ILedgerStore> CreateStoreAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("ledger", Token);
        var store = new PostgresLedgerStore(_connectionString);
        await store.MigrateAsync(Token);
        return store;
    }

    protected override async Task ForgeStoredAgentDidAsync(string tenantId, string runId, long seq, string? agentDid)
    {
        // The database is this test's own: its append-only guard is switched off for good.
        await Sql.ExecuteAsync(_connectionString, "ALTER TABLE ledger_records DISABLE TRIGGER ledger_records_append_only");
        Assert.Equal(1, await Sql.ExecuteAsync(_connectionString,
            "UPDATE ledger_records SET agent_did = $1 WHERE tenant_id = $2 AND run_id = $3 AND seq = $4",
            (object?)agentDid ?? DBNull.Value, tenantId, runId, seq));
    }

    protected override async Task RerunTotalsMigrationAsync()
    {
        await Sql.ExecuteAsync(_connectionString,
            "UPDATE runs SET step_count = 0, tokens_input = 0, tokens_output = 0, cost_usd = 0, end_seq = NULL");
        await Sql.ExecuteAsync(_connectionString, "DELETE FROM schema_migrations WHERE version = 8");
        await Store.MigrateAsync(Token);
    }
}
