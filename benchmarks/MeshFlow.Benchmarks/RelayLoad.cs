using System.Diagnostics;
using System.Globalization;
using MeshFlow.Distributed.Redis;
using MeshFlow.Events;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;
using StackExchange.Redis;

namespace MeshFlow.Benchmarks;

/// <summary>
/// Token relay through Redis, the way a worker streams to the API that holds the client's SSE response: one
/// publisher (the worker's bus, on its own publishing connection as a worker's is; <c>-- relay shared</c> publishes
/// through the multiplexer instead), one reader multiplexer (the API) following 100 runs at once, each run streaming
/// token deltas at about 50 per second. Prints the publish→reader latency (median, p99, max) and what a
/// publish costs the worker.
/// </summary>
internal static class RelayLoad
{
    private const int Runs = 100;
    private const int DeltasPerRun = 200;
    private static readonly TimeSpan TokenInterval = TimeSpan.FromMilliseconds(20);

    public static async Task RunAsync(bool ownPublishConnection = true)
    {
        await using var server = await RedisServer.StartAsync();
        using var worker = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        using var api = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        using var publisher = new RedisRunEventBus(worker, ownPublishConnection: ownPublishConnection);
        var reader = new RedisRunEventBus(api);
        Console.WriteLine($"redis {server.Port}: {Runs} runs × {DeltasPerRun} deltas, one every {TokenInterval.TotalMilliseconds:0} ms per run, " +
            (ownPublishConnection ? "published on the bus's own connection" : "published through the multiplexer"));

        // A warm-up round (JIT, connections), then the measured one.
        await MeasureAsync(publisher, reader, runs: 10, deltas: 50, print: false);
        await MeasureAsync(publisher, reader, Runs, DeltasPerRun, print: true);
    }

    private static async Task MeasureAsync(RedisRunEventBus publisher, RedisRunEventBus reader, int runs, int deltas, bool print)
    {
        var tenant = "bench";
        var ids = Enumerable.Range(0, runs).Select(_ => "run-" + Guid.NewGuid().ToString("N")).ToList();
        var latencies = new double[runs][];
        var publishCosts = new double[runs][];

        var following = ids.Select((run, index) => Task.Run(async () =>
        {
            var seen = new List<double>(deltas);
            await foreach (var evt in reader.ReadAsync(tenant, run, 0))
            {
                if (evt.Kind == MeshEventKinds.TokenDelta)
                {
                    var sent = long.Parse(evt.Json.AsSpan(5, evt.Json.Length - 6), CultureInfo.InvariantCulture);
                    seen.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
            }

            latencies[index] = [.. seen];
        })).ToList();

        // Readers subscribe before the first token, as an SSE client that started the run would.
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        var clock = Stopwatch.StartNew();
        var publishing = ids.Select((run, index) => Task.Run(async () =>
        {
            var costs = new double[deltas];
            using var timer = new PeriodicTimer(TokenInterval);
            for (var seq = 1; seq <= deltas; seq++)
            {
                await timer.WaitForNextTickAsync();
                var started = Stopwatch.GetTimestamp();
                await publisher.PublishAsync(tenant, run, new RunEventEnvelope(seq, MeshEventKinds.TokenDelta, "{\"t\":" + started.ToString(CultureInfo.InvariantCulture) + "}"));
                costs[seq - 1] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            await publisher.PublishAsync(tenant, run, new RunEventEnvelope(deltas + 1, MeshEventKinds.RunEnd, "{}"));
            publishCosts[index] = costs;
        })).ToList();

        await Task.WhenAll(publishing);
        await Task.WhenAll(following).WaitAsync(TimeSpan.FromMinutes(2));
        var elapsed = clock.Elapsed;
        if (!print)
        {
            return;
        }

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var costs = publishCosts.SelectMany(c => c).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"relay publish→reader: median {Percentile(all, 0.50):F3} ms, p99 {Percentile(all, 0.99):F3} ms, max {all[^1]:F3} ms " +
            $"over {all.Length} deltas ({all.Length / elapsed.TotalSeconds:F0} deltas/s relayed)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"publish cost to the worker (fire and forget): median {Percentile(costs, 0.50) * 1000:F1} µs, p99 {Percentile(costs, 0.99) * 1000:F1} µs"));
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
