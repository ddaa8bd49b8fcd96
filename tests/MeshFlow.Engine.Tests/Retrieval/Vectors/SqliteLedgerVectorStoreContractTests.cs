using MeshFlow.Ledger;
using MeshFlow.Ledger.Sqlite;
using MeshFlow.Tests.Ledger.Sqlite;
using MeshFlow.Tests.Retrieval.Vectors.Contract;

namespace MeshFlow.Tests.Retrieval.Vectors;

/// <summary>The durable vector store contract, run against the SQLite ledger: a new database file per test.</summary>
public sealed class SqliteLedgerVectorStoreContractTests : DurableVectorStoreContractTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override async Task<ILedgerStore> CreateLedgerStoreAsync()
    {
        var store = SqliteLedgerStore.Open(_database.Path);
        await store.MigrateAsync(Token);
        return store;
    }

    protected override Task<ILedgerStore> OpenSameDatabaseAsync() => Task.FromResult<ILedgerStore>(SqliteLedgerStore.Open(_database.Path));

    protected override Task<IReadOnlyList<StoredRow>> StoredRowsAsync(string tenantId)
    {
        using var raw = _database.OpenRaw();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT key, text, vector IS NOT NULL FROM vector_entries WHERE tenant_id = $tenant ORDER BY key";
        command.Parameters.AddWithValue("$tenant", tenantId);
        using var reader = command.ExecuteReader();
        var rows = new List<StoredRow>();
        while (reader.Read())
        {
            rows.Add(new StoredRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetBoolean(2)));
        }

        return Task.FromResult<IReadOnlyList<StoredRow>>(rows);
    }

    protected override Task<long> StoredCollectionsAsync(string tenantId)
    {
        using var raw = _database.OpenRaw();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT count(*) FROM vector_collections WHERE tenant_id = $tenant";
        command.Parameters.AddWithValue("$tenant", tenantId);
        return Task.FromResult((long)command.ExecuteScalar()!);
    }

    protected override async Task RerunVectorMigrationAsync()
    {
        using (var raw = _database.OpenRaw())
        {
            SqliteTestDatabase.Execute(raw, "DELETE FROM schema_migrations WHERE version = 9");
        }

        await LedgerStore.MigrateAsync(Token);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}
