using MeshFlow.Ledger;
using MeshFlow.Ledger.Sqlite;

namespace MeshFlow.Tests.Support;

/// <summary>Real, migrated ledger stores for tests.</summary>
internal static class TestStores
{
    public static async Task<ILedgerStore> OpenSqliteAsync(string path)
    {
        var store = SqliteLedgerStore.Open(path);
        await store.MigrateAsync();
        return store;
    }
}
