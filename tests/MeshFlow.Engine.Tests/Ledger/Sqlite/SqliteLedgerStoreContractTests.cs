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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}
