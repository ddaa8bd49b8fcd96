using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Ledger;
using MeshFlow.Testing.Postgres;
using MeshFlow.Tests.Ledger.Contract;
using Npgsql;

namespace MeshFlow.Distributed.Tests.Ledger.Postgres;

/// <summary>Many runs appending at once share statements and commits; each append gets exactly its own outcome.</summary>
public sealed class PostgresLedgerConcurrentAppendTests(PostgresFixture postgres)
{
    private const string Tenant = "acme";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_runs_each_get_their_records_checkpoints_and_summaries()
    {
        const int Runs = 64;
        const int StepsPerRun = 40;
        var connectionString = await postgres.CreateDatabaseAsync("ledger_batch", Token);
        await using var store = new PostgresLedgerStore(connectionString);
        await store.MigrateAsync(Token);
        var commitsBefore = await CommitsAsync(connectionString);

        var runs = Enumerable.Range(0, Runs).Select(_ => "run-" + Guid.NewGuid().ToString("N")).ToArray();
        var chains = await Task.WhenAll(runs.Select((run, i) => Task.Run(async () =>
        {
            var chain = LedgerRecordFactory.Chain(Tenant, run, StepsPerRun);
            chain.Add(LedgerRecordFactory.RunEnd(chain[^1], Status(i)));
            foreach (var record in chain)
            {
                var outcome = await store.AppendAsync(record, new LedgerCheckpoint(Tenant, run, record.Seq, $$"""{"at":{{record.Seq}}}"""), Token);
                Assert.Equal(AppendOutcome.Appended, outcome);
            }

            return chain;
        }, Token))).WaitAsync(TestTimeouts.Default, Token);

        var commits = await CommitsAsync(connectionString) - commitsBefore;
        TestContext.Current.TestOutputHelper?.WriteLine($"{Runs * (StepsPerRun + 1)} appends in about {commits} commits");

        foreach (var (chain, i) in chains.Select((chain, i) => (chain, i)))
        {
            var run = chain[0].RunId;
            Assert.Equal(chain, await store.ReadRecordsAsync(Tenant, run, Token));
            Assert.Equal(new LedgerCheckpoint(Tenant, run, chain[^1].Seq, $$"""{"at":{{chain[^1].Seq}}}"""), await store.LoadCheckpointAsync(Tenant, run, Token));
            Assert.Equal(
                new LedgerRunSummary(Tenant, run, "review", Status(i), chain[^1].Seq, chain[0].Timestamp, chain[^1].Timestamp)
                {
                    Totals = LedgerRunTotals.From(chain),
                },
                await store.ReadRunAsync(Tenant, run, Token));
        }
    }

    [Fact]
    public async Task An_append_the_database_refuses_fails_alone()
    {
        var connectionString = await postgres.CreateDatabaseAsync("ledger_poison", Token);
        await using var store = new PostgresLedgerStore(connectionString);
        await store.MigrateAsync(Token);

        // A rule of this test's own: the database refuses one particular step, wherever it lands in a batch.
        await Sql.ExecuteAsync(connectionString, "ALTER TABLE ledger_records ADD CONSTRAINT no_poison CHECK (step_id IS DISTINCT FROM 'poison:1')");

        var runs = Enumerable.Range(0, 32).Select(_ => "run-" + Guid.NewGuid().ToString("N")).ToArray();
        var results = await Task.WhenAll(runs.Select((run, i) => Task.Run(async () =>
        {
            var record = LedgerRecordFactory.Step(Tenant, run, null, stepId: i == 7 ? "poison:1" : $"n{i}:1");
            try
            {
                return (Run: run, Error: (Exception?)null, Outcome: await store.AppendAsync(record, null, Token));
            }
            catch (PostgresException exception)
            {
                return (Run: run, Error: exception, Outcome: default(AppendOutcome));
            }
        }, Token))).WaitAsync(TestTimeouts.Default, Token);

        for (var i = 0; i < runs.Length; i++)
        {
            var records = await store.ReadRecordsAsync(Tenant, runs[i], Token);
            if (i == 7)
            {
                Assert.Equal(PostgresErrorCodes.CheckViolation, Assert.IsType<PostgresException>(results[i].Error).SqlState);
                Assert.Empty(records);
                Assert.Null(await store.ReadRunAsync(Tenant, runs[i], Token));
            }
            else
            {
                Assert.Null(results[i].Error);
                Assert.Equal(AppendOutcome.Appended, results[i].Outcome);
                Assert.Single(records);
            }
        }
    }

    [Fact]
    public async Task A_writer_connection_that_broke_is_replaced()
    {
        // Without pooling, the appends' kept connection is the only session that outlives a call.
        var connectionString = await postgres.CreateDatabaseAsync("ledger_reconnect", Token);
        await using var store = new PostgresLedgerStore(connectionString + ";Pooling=false");
        await store.MigrateAsync(Token);
        var run = "run-" + Guid.NewGuid().ToString("N");
        var chain = LedgerRecordFactory.Chain(Tenant, run, 3);
        await store.AppendAsync(chain[0], null, Token);

        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var terminated = await Sql.ListAsync<bool>(postgres.ConnectionString,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", database);
        Assert.Contains(true, terminated);

        Assert.Equal(AppendOutcome.Appended, await store.AppendAsync(chain[1], null, Token));
        Assert.Equal(AppendOutcome.Appended, await store.AppendAsync(chain[2], null, Token));
        Assert.Equal(chain, await store.ReadRecordsAsync(Tenant, run, Token));
    }

    [Fact]
    public async Task A_store_over_a_caller_data_source_works_and_leaves_it_open()
    {
        var connectionString = await postgres.CreateDatabaseAsync("ledger_datasource", Token);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var run = "run-" + Guid.NewGuid().ToString("N");
        var chain = LedgerRecordFactory.Chain(Tenant, run, 12);
        await using (var store = new PostgresLedgerStore(dataSource))
        {
            await store.MigrateAsync(Token);
            foreach (var record in chain)
            {
                await store.AppendAsync(record, new LedgerCheckpoint(Tenant, run, record.Seq, "{}"), Token);
            }

            Assert.Equal(AppendOutcome.AlreadyPresent, await store.AppendAsync(chain[5], null, Token));
            Assert.Equal(chain, await store.ReadRecordsAsync(Tenant, run, Token));
        }

        await using var connection = await dataSource.OpenConnectionAsync(Token);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM ledger_records", connection);
        Assert.Equal(12L, await count.ExecuteScalarAsync(Token));
    }

    [Fact]
    public async Task A_batched_append_moves_each_run_summary_as_a_lone_append_would()
    {
        var connectionString = await postgres.CreateDatabaseAsync("ledger_batch_status", Token);
        await using var store = new PostgresLedgerStore(connectionString);
        await store.MigrateAsync(Token);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var batcher = new AppendBatcher(dataSource, prepareExplicitly: false);
        await using var connection = await dataSource.OpenConnectionAsync(Token);
        var runs = Enumerable.Range(0, 5).Select(_ => "run-" + Guid.NewGuid().ToString("N")).ToArray();
        var starts = runs.Select(run => LedgerRecordFactory.RunStart(Tenant, run)).ToArray();
        var steps = starts.Select(start => LedgerRecordFactory.Step(Tenant, start.RunId, start)).ToArray();
        var ends = steps.Select(step => LedgerRecordFactory.RunEnd(step, "completed")).ToArray();

        // Runs 0-3 start; run 4 is first seen through a step.
        await WriteBatchAsync(starts[0], starts[1], starts[2], starts[3], steps[4]);
        Assert.Equal(["queued", "queued", "queued", "queued", "running"], await StatusesAsync());

        // Runs 0 and 2 take a step while 1 and 3 stay queued; run 4's late run_start does not queue it again.
        await WriteBatchAsync(steps[0], steps[2], starts[4]);
        Assert.Equal(["running", "queued", "running", "queued", "running"], await StatusesAsync());
        Assert.Equal("review", (await store.ReadRunAsync(Tenant, runs[4], Token))!.Workflow);

        // Run 2 ends and run 1 takes a step; then run 1 ends, and a record after run 2's end leaves its final status alone.
        await WriteBatchAsync(ends[2], steps[1]);
        await WriteBatchAsync(LedgerRecordFactory.Step(Tenant, runs[2], ends[2]), ends[1]);
        Assert.Equal(["running", "completed", "completed", "queued", "running"], await StatusesAsync());

        async Task WriteBatchAsync(params LedgerRecord[] records)
        {
            var batch = records.Select(record =>
            {
                var (payload, compressed) = LedgerPayloadCodec.Pack(record.Payload, nameof(record));
                return new PendingAppend(record, null, payload, compressed,
                    record.Kind == LedgerRecordKinds.RunStart ? "review" : null, record.Kind == LedgerRecordKinds.RunEnd ? "completed" : null);
            }).ToList();
            Assert.All(await batcher.ExecuteAsync(connection, batch, Token), Assert.True);
        }

        async Task<List<string>> StatusesAsync()
        {
            var statuses = new List<string>();
            foreach (var run in runs)
            {
                statuses.Add((await store.ReadRunAsync(Tenant, run, Token))!.Status);
            }

            return statuses;
        }
    }

    private static string Status(int run) => run % 2 == 0 ? "completed" : "failed";

    // Statistics lag a little behind; good enough to show in the test output how appends shared commits.
    private static Task<long> CommitsAsync(string connectionString) =>
        Sql.ScalarAsync<long>(connectionString, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
}
