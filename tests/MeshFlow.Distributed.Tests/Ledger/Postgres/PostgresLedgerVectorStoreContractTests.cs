using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Ledger;
using MeshFlow.Testing.Postgres;
using MeshFlow.Tests.Retrieval.Vectors.Contract;

namespace MeshFlow.Distributed.Tests.Ledger.Postgres;

/// <summary>The durable vector store contract, against a fresh Postgres database per test.</summary>
public sealed class PostgresLedgerVectorStoreContractTests(PostgresFixture postgres) : DurableVectorStoreContractTests
{
    private string _connectionString = null!;

    protected override async Task<ILedgerStore> CreateLedgerStoreAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("vectors", Token);
        var store = new PostgresLedgerStore(_connectionString);
        await store.MigrateAsync(Token);
        return store;
    }

    protected override Task<ILedgerStore> OpenSameDatabaseAsync() => Task.FromResult<ILedgerStore>(new PostgresLedgerStore(_connectionString));

    protected override async Task<IReadOnlyList<StoredRow>> StoredRowsAsync(string tenantId)
    {
        var keys = await Sql.ListAsync<string>(_connectionString, "SELECT key FROM vector_entries WHERE tenant_id = $1 ORDER BY key", tenantId);
        var rows = new List<StoredRow>();
        foreach (var key in keys)
        {
            var text = (await Sql.ListAsync<string?>(_connectionString,
                "SELECT text FROM vector_entries WHERE tenant_id = $1 AND key = $2 AND text IS NOT NULL", tenantId, key)).SingleOrDefault();
            var hasVector = await Sql.ScalarAsync<bool>(_connectionString,
                "SELECT bool_or(vector IS NOT NULL) FROM vector_entries WHERE tenant_id = $1 AND key = $2", tenantId, key);
            rows.Add(new StoredRow(key, text, hasVector));
        }

        return rows;
    }

    protected override Task<long> StoredCollectionsAsync(string tenantId) =>
        Sql.ScalarAsync<long>(_connectionString, "SELECT count(*) FROM vector_collections WHERE tenant_id = $1", tenantId);

    protected override async Task RerunVectorMigrationAsync()
    {
        await Sql.ExecuteAsync(_connectionString, "DELETE FROM schema_migrations WHERE version = 9");
        await LedgerStore.MigrateAsync(Token);
    }
}
