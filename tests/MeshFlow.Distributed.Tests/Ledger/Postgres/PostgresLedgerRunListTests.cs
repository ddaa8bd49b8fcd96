using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Testing.Postgres;
using MeshFlow.Tests.Ledger.Contract;
using Npgsql;
using NpgsqlTypes;

namespace MeshFlow.Distributed.Tests.Ledger.Postgres;

/// <summary>What listing runs needs of Postgres beyond the shared contract: an index that serves each listing.</summary>
public sealed class PostgresLedgerRunListTests(PostgresFixture postgres)
{
    private const string Tenant = "acme";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false, false, "ix_runs_created")]
    [InlineData(false, true, "ix_runs_created")]
    [InlineData(true, false, "ix_runs_status_created")]
    [InlineData(true, true, "ix_runs_status_created")]
    public async Task Listing_runs_reads_them_in_order_from_an_index(bool byStatus, bool byWorkflow, string index)
    {
        var connectionString = await postgres.CreateDatabaseAsync("ledger_list_plan", Token);
        await using (var store = new PostgresLedgerStore(connectionString))
        {
            await store.MigrateAsync(Token);
            for (var i = 0; i < 200; i++)
            {
                var start = LedgerRecordFactory.RunStart(i % 2 == 0 ? Tenant : "globex", $"run-{i:D3}", i % 3 == 0 ? "triage" : "review",
                    LedgerRecordFactory.Epoch.AddSeconds(i % 20));
                await store.AppendAsync(start, null, Token);
                if (i % 4 == 0)
                {
                    await store.AppendAsync(LedgerRecordFactory.Step(start.TenantId, start.RunId, start), null, Token);
                }
            }
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Token);
        // A table this small is cheapest to read whole, or through a bitmap and a sort; what matters is that an index
        // can give the rows in order and bound them (its collation matching the statement's), so take the others away.
        await using (var analyze = new NpgsqlCommand("ANALYZE runs; SET enable_seqscan = off; SET enable_bitmapscan = off;", connection))
        {
            await analyze.ExecuteNonQueryAsync(Token);
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + PostgresLedgerSql.ListRuns(byStatus, byWorkflow), connection);
        explain.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Tenant, NpgsqlDbType = NpgsqlDbType.Text });
        explain.Parameters.Add(new NpgsqlParameter<long> { TypedValue = long.MinValue, NpgsqlDbType = NpgsqlDbType.Bigint });
        explain.Parameters.Add(new NpgsqlParameter<long>
        {
            TypedValue = LedgerRecordFactory.Epoch.AddSeconds(10).ToUnixTimeMilliseconds(), NpgsqlDbType = NpgsqlDbType.Bigint,
        });
        explain.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "run-100", NpgsqlDbType = NpgsqlDbType.Text });
        explain.Parameters.Add(new NpgsqlParameter<long> { TypedValue = 11, NpgsqlDbType = NpgsqlDbType.Bigint });
        foreach (var filter in new[] { byStatus ? "running" : null, byWorkflow ? "review" : null }.OfType<string>())
        {
            explain.Parameters.Add(new NpgsqlParameter<string> { TypedValue = filter, NpgsqlDbType = NpgsqlDbType.Text });
        }

        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(Token))
        {
            while (await reader.ReadAsync(Token))
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', plan);
        TestContext.Current.TestOutputHelper?.WriteLine(text);

        // The index gives the order, so no sort: a page reads only the rows it returns.
        Assert.Contains($"Index Scan Backward using {index}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", text, StringComparison.Ordinal);
    }
}
