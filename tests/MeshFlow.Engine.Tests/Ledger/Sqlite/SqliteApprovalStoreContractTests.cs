using MeshFlow.Ledger;
using MeshFlow.Ledger.Sqlite;
using MeshFlow.Tests.Ledger.Contract;

namespace MeshFlow.Tests.Ledger.Sqlite;

/// <summary>The approval store contract, run against SQLite: a new database file per test.</summary>
public sealed class SqliteApprovalStoreContractTests : ApprovalStoreContractTests<SqliteLedgerStore>
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

    [Fact]
    public async Task A_large_pause_payload_is_stored_compressed_as_an_append_stores_it()
    {
        var tenant = NewTenant();
        var tail = await StartAsync(tenant, NewRun());
        var record = Next(tail, LedgerRecordKinds.HitlPause, $$"""{"context":{{LedgerRecordFactory.Quote(LongText(16 * 1024))}}}""");

        await Store.PauseAsync(record, PauseFor(record), [], Token);

        using var raw = _database.OpenRaw();
        Assert.Equal([[1L]], SqliteTestDatabase.Query(raw,
            $"SELECT payload_compressed FROM ledger_records WHERE tenant_id = '{tenant}' AND run_id = '{record.RunId}' AND seq = {record.Seq}"));
    }
}
