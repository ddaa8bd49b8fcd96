using MeshFlow.Ledger.Sqlite;
using MeshFlow.Tests.Ledger.Contract;

namespace MeshFlow.Tests.Ledger.Sqlite;

/// <summary>The governance store contract, run against SQLite: a new database file per test.</summary>
public sealed class SqliteGovernanceStoreContractTests : GovernanceStoreContractTests<SqliteLedgerStore>
{
    private readonly SqliteTestDatabase _database = new();

    protected override async Task<SqliteLedgerStore> CreateStoreAsync()
    {
        var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);
        return store;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}
