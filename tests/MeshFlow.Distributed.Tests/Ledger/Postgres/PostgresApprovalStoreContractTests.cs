using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Ledger;
using MeshFlow.Testing.Postgres;
using MeshFlow.Tests.Ledger.Contract;

namespace MeshFlow.Distributed.Tests.Ledger.Postgres;

/// <summary>The shared approval store contract, against a fresh Postgres database per test.</summary>
public sealed class PostgresApprovalStoreContractTests(PostgresFixture postgres) : ApprovalStoreContractTests<PostgresLedgerStore>
{
    private string _connectionString = null!;

    protected override async Task<PostgresLedgerStore> CreateStoreAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("approvals", Token);
        var store = new PostgresLedgerStore(_connectionString);
        await store.MigrateAsync(Token);
        return store;
    }

    [Fact]
    public async Task A_large_pause_payload_is_stored_compressed_as_an_append_stores_it()
    {
        var tenant = NewTenant();
        var tail = await StartAsync(tenant, NewRun());
        var record = Next(tail, LedgerRecordKinds.HitlPause, $$"""{"context":{{LedgerRecordFactory.Quote(LongText(16 * 1024))}}}""");

        await Store.PauseAsync(record, PauseFor(record), [], Token);

        Assert.Equal([true], await Sql.ListAsync<bool>(_connectionString,
            "SELECT payload_compressed FROM ledger_records WHERE tenant_id = $1 AND run_id = $2 AND seq = $3", tenant, record.RunId, record.Seq));
    }
}
