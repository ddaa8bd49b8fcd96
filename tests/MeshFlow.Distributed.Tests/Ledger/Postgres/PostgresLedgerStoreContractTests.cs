using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Ledger;
using MeshFlow.Testing.Postgres;
using MeshFlow.Tests.Ledger.Contract;

namespace MeshFlow.Distributed.Tests.Ledger.Postgres;

/// <summary>The shared ledger store contract, against a fresh Postgres database per test.</summary>
public sealed class PostgresLedgerStoreContractTests(PostgresFixture postgres) : LedgerStoreContractTests
{
    protected override async Task<ILedgerStore> CreateStoreAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync("ledger", Token);
        var store = new PostgresLedgerStore(connectionString);
        await store.MigrateAsync(Token);
        return store;
    }
}
