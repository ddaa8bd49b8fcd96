using MeshFlow.Ledger;
using MeshFlow.Ledger.Sqlite;
using MeshFlow.Tests.Ledger.Contract;

namespace MeshFlow.Tests.Ledger.Sqlite;

/// <summary>The ledger store contract, run against SQLite: a new database file per test.</summary>
public sealed class SqliteLedgerStoreContractTests : LedgerStoreContractTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override async Task<ILedgerStore> CreateStoreAsync()
    {
        var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        return store;
    }

    protected override Task ForgeStoredAgentDidAsync(string tenantId, string runId, long seq, string? agentDid)
    {
        using var raw = _database.OpenRaw();
        SqliteTestDatabase.Execute(raw, "DROP TRIGGER ledger_records_header_immutable");
        using var forge = raw.CreateCommand();
        forge.CommandText = "UPDATE ledger_records SET agent_did = $did WHERE tenant_id = $tenant AND run_id = $run AND seq = $seq";
        forge.Parameters.AddWithValue("$did", (object?)agentDid ?? DBNull.Value);
        forge.Parameters.AddWithValue("$tenant", tenantId);
        forge.Parameters.AddWithValue("$run", runId);
        forge.Parameters.AddWithValue("$seq", seq);
        Assert.Equal(1, forge.ExecuteNonQuery());
        return Task.CompletedTask;
    }

    protected override async Task RerunTotalsMigrationAsync()
    {
        using (var raw = _database.OpenRaw())
        {
            SqliteTestDatabase.Execute(raw, """
                UPDATE runs SET step_count = 0, tokens_input = 0, tokens_output = 0, cost_usd = '0', end_seq = NULL;
                DELETE FROM schema_migrations WHERE version = 8;
                """);
        }

        await Store.MigrateAsync(TestContext.Current.CancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}
