using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Testing.Postgres;
using MeshFlow.Tests.Ledger.Contract;
using Npgsql;

namespace MeshFlow.Distributed.Tests.Ledger.Postgres;

/// <summary>The shared governance store contract, against a fresh Postgres database per test.</summary>
public sealed class PostgresGovernanceStoreContractTests(PostgresFixture postgres) : GovernanceStoreContractTests<PostgresLedgerStore>
{
    private string _connectionString = null!;

    protected override async Task<PostgresLedgerStore> CreateStoreAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("governance", Token);
        var store = new PostgresLedgerStore(_connectionString);
        await store.MigrateAsync(Token);
        return store;
    }

    [Fact]
    public async Task Tenant_spend_is_summed_from_the_partial_index_of_costly_steps()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Token);

        // The table is nearly empty, so a sequential scan would win on cost: forbid it to see whether the index applies.
        await using (var settings = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await settings.ExecuteNonQueryAsync(Token);
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + PostgresGovernanceSql.ReadSpend, connection)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = "acme" }, new NpgsqlParameter<long> { TypedValue = 0 } },
        };
        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync(Token);
        while (await reader.ReadAsync(Token))
        {
            plan.Add(reader.GetString(0));
        }

        Assert.Contains(plan, line => line.Contains("ix_ledger_records_spend", StringComparison.Ordinal));
    }
}
