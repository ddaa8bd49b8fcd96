using System.Diagnostics;
using System.Globalization;
using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;
using MeshFlow.Ledger.Sqlite;
using MeshFlow.Runs;
using MeshFlow.Testing.Postgres;

namespace MeshFlow.Benchmarks;

/// <summary>
/// The ledger under load, through the same path the engine takes for every step: build the record, hash it into the
/// chain, commit it with the run's checkpoint (durable: Postgres with synchronous_commit on, SQLite with
/// synchronous=FULL). Prints medians of repeated rounds.
/// </summary>
internal static class LedgerLoad
{
    private const int LatencySteps = 2_000;
    private const int Runs = 64;
    private const int StepsPerRun = 300;

    // Each store is warmed up once (JIT tiers, Postgres' caches and the first WAL segments), then measured this many
    // times; the medians are printed.
    private const int Rounds = 5;

    /// <summary>Measures both stores, or only the one named (<c>postgres</c> or <c>sqlite</c>).</summary>
    public static async Task RunAsync(string? only = null)
    {
        using var signer = Ed25519LedgerSigner.Create();
        if (only is null or "postgres")
        {
            await MeasurePostgresAsync(signer);
        }

        if (only is null or "sqlite")
        {
            await MeasureSqliteAsync(signer);
        }
    }

    private static async Task MeasurePostgresAsync(ILedgerSigner signer)
    {
        await using (var server = await PostgresServer.StartAsync())
        {
            Console.WriteLine($"postgres {server.Port}: measuring");
            await MeasureAsync("postgres", async () =>
            {
                var store = new PostgresLedgerStore(await server.CreateDatabaseAsync("bench_" + Guid.NewGuid().ToString("N")[..12]));
                await store.MigrateAsync();
                return store;
            }, signer);
        }
    }

    private static async Task MeasureSqliteAsync(ILedgerSigner signer)
    {
        var directory = Path.Combine(Path.GetTempPath(), "meshflow-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await MeasureAsync("sqlite", async () =>
            {
                var store = SqliteLedgerStore.Open(Path.Combine(directory, Guid.NewGuid().ToString("N") + ".db"));
                await store.MigrateAsync();
                return store;
            }, signer);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task MeasureAsync(string name, Func<Task<ILedgerStore>> open, ILedgerSigner signer)
    {
        var latencies = new List<double>();
        var throughputs = new List<double>();
        for (var round = -1; round < Rounds; round++)
        {
            if (round < 0)
            {
                await using var warmUp = await open();
                await OneRunLatencyAsync(new AuditLedger(warmUp, signer));
                await ConcurrentThroughputAsync(new AuditLedger(warmUp, signer));
                continue;
            }

            await using (var store = await open())
            {
                latencies.Add(await OneRunLatencyAsync(new AuditLedger(store, signer)));
            }

            await using (var store = await open())
            {
                throughputs.Add(await ConcurrentThroughputAsync(new AuditLedger(store, signer)));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: durable hash-chained step, one run: median {Median(latencies):F3} ms " +
            $"(rounds: {string.Join(", ", latencies.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}); " +
            $"{Runs} concurrent runs: median {Median(throughputs):F0} steps/s (rounds: {string.Join(", ", throughputs.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))})"));
    }

    // Median latency of one append, measured append by append, for a single run.
    private static async Task<double> OneRunLatencyAsync(AuditLedger ledger)
    {
        using var chain = await ledger.OpenAsync(RunOptions.DefaultTenant, "run_latency", CancellationToken.None);
        var samples = new double[LatencySteps];
        for (var i = 0; i < LatencySteps; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await chain.AppendAsync(Entry(i), Checkpoint(i), CancellationToken.None);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return Median(samples.Skip(100).ToList());
    }

    private static async Task<double> ConcurrentThroughputAsync(AuditLedger ledger)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Runs).Select(run => Task.Run(async () =>
        {
            using var chain = await ledger.OpenAsync(RunOptions.DefaultTenant, $"run_{run}", CancellationToken.None);
            for (var i = 0; i < StepsPerRun; i++)
            {
                await chain.AppendAsync(Entry(i), Checkpoint(i), CancellationToken.None);
            }
        })));
        return Runs * StepsPerRun / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static LedgerEntry Entry(int i) => new()
    {
        Kind = i == 0 ? LedgerRecordKinds.RunStart : LedgerRecordKinds.Step,
        Payload = i == 0
            ? LedgerPayloads.RunStart(new RunStartPayload { Workflow = "bench", WorkflowDigest = "0", Input = "go", Policy = Workflows.Standard })
            : LedgerPayloads.Step(new StepPayload
            {
                StepId = $"writer:{i}", Iteration = i, InputTask = "Draft a mutual NDA clause covering confidential information.",
                Output = $"Draft {i}: Each party shall hold the other's Confidential Information in strict confidence.", OutputChars = 90,
                Model = "gpt-4o-mini",
            }),
        NodeId = i == 0 ? null : "writer",
        StepId = i == 0 ? null : $"writer:{i}",
        Verdict = i == 0 ? null : "commit",
        Tokens = new TokenUsage(420, 96),
        CostUsd = 0.000121m,
        DurationMs = 812.345,
    };

    private static string Checkpoint(int i) => $"{{\"step_id\":\"writer:{i}\",\"steps\":{i},\"state\":{{}}}}";

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    private static double Median(double[] values) => Median(values.ToList());
}
