using System.Diagnostics;
using System.Globalization;
using MeshFlow.LoadTest.Client;
using MeshFlow.LoadTest.Reporting;
using MeshFlow.LoadTest.Topology;

namespace MeshFlow.LoadTest.Measurements;

/// <summary>
/// Token relay latency with many streams open: <see cref="LoadTestOptions.RelayClients"/> clients, each looping
/// <c>POST /stream</c>; for every <c>token_delta</c> read in the measured interval, latency = when the read returned −
/// the event's <c>ts</c>. The worker stamps <c>ts</c> as the model yields the token, on the same machine clock, so
/// this is end to end: worker → Redis (stream + pub/sub) → api → HTTP → client.
/// </summary>
/// <remarks>
/// Two passes: the offline model, which yields a step's ~30 tokens at once (each token also waits for the ones
/// before it) and whose runs follow each other as fast as the machine allows (a saturation figure), and a paced pass
/// on the load test's LLM server, one token every <see cref="LoadTestOptions.RelayPaceMs"/> ms per stream, as a real
/// model streams.
/// </remarks>
internal static class RelayMeasurement
{
    public static async Task RunAsync(LoadTopology topology, LoadTestOptions options, ResultTable results, TextWriter log, CancellationToken cancellationToken)
    {
        if (!options.RelayPacedOnly)
        {
            await PassAsync(topology, options, "offline", "relay", TimeSpan.Zero, results, log, cancellationToken);
        }

        if (options.RelayPaceMs > 0)
        {
            const int TokensPerStep = 30;
            var model = PacedLlmServer.Model("paced", TimeSpan.FromMilliseconds(options.RelayPaceMs), TokensPerStep);
            // The streams start spread over one run's length (3 steps × 30 tokens), as independent callers would: started
            // together, every stream's step boundaries (step_end committed, the next model call made) would fall in the
            // same few milliseconds, run after run.
            var runLength = TimeSpan.FromMilliseconds(options.RelayPaceMs * TokensPerStep * LoadWorkflows.ChainSteps);
            await PassAsync(topology, options, model, $"relay (paced {options.RelayPaceMs} ms)", runLength, results, log, cancellationToken);
        }
    }

    private static async Task PassAsync(LoadTopology topology, LoadTestOptions options, string model, string name, TimeSpan spread, ResultTable results,
        TextWriter log, CancellationToken cancellationToken)
    {
        var spreadNote = spread > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"; the streams start spread over {spread.TotalSeconds:0.0} s")
            : string.Empty;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {options.RelayClients} concurrent streams looping POST /stream (NDJSON), 3-step workflow on model '{model}', " +
            $"warm-up of {options.RelayWarmup.TotalSeconds:0} s or until the services' JIT settles (at most {options.MaximumWarmup.TotalSeconds:0} s) + {options.RelayDuration.TotalSeconds:0} s measured{spreadNote}"));
        var body = LoadWorkflows.Body(LoadWorkflows.Chain(model));
        var window = new LoadWindow(options.RelayWarmup, options.MaximumWarmup, options.RelayDuration);
        var clients = Enumerable.Range(0, options.RelayClients)
            .Select(i => spread * i / options.RelayClients)
            .Select(delay => options.RelayRawClient
                ? RawClient(topology.Client.BaseAddress, body, delay, window)
                : Task.Run(() => ClientAsync(topology.Client, body, delay, window, cancellationToken), cancellationToken))
            .ToList();

        using var tap = options.RelaySplit ? RedisRelayTap.Start(topology.RedisConnectionString, window) : null;
        // The generator's own collections are held off for the window (see GeneratorGc.HoldOff); the one that starts
        // that takes a few milliseconds, and the reads it held up are over before the window opens.
        GeneratorGc? ownGc = null;
        await window.UntilStartAsync(log, cancellationToken, async () =>
        {
            ownGc = GeneratorGc.HoldOff(options.RelayDuration);
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        });
        var cpu = CpuUsage.Start();
        var waits = RelayThreadWaits.Start();
        await window.UntilEndAsync(cancellationToken);
        var usage = cpu.Stop();
        var threadWaits = waits.Stop();
        var ownGcUsage = ownGc!.Stop();
        var tallies = await Task.WhenAll(clients).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        var atRedis = tap?.Stop();

        var all = LatencySummary.Of(tallies.SelectMany(t => t.Latencies));
        var firsts = LatencySummary.Of(tallies.SelectMany(t => t.FirstOfStep));
        var runs = tallies.Sum(t => t.Runs);
        var digits = tallies.Where(t => t.Latencies.Count > 0).ToList();
        var precision = digits.Count == 0 ? "?" : $"{digits.Min(t => t.MinDigits)}–{digits.Max(t => t.MaxDigits)}";
        log.WriteLine($"  every token_delta: {all}");
        log.WriteLine($"  first token_delta of each step: {firsts}");
        if (atRedis is not null)
        {
            log.WriteLine($"  the same deltas at a Redis subscriber of the generator's (worker + Redis, no api): {LatencySummary.Of(atRedis.Select(s => s.Latency))}");
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {runs:N0} runs completed in the interval ({runs / options.RelayDuration.TotalSeconds:F1} runs/s, {all.Count / options.RelayDuration.TotalSeconds:N0} tokens/s); " +
            $"ts written with {precision} fraction digits (7 = 100 ns, DateTimeOffset's resolution); not completed: {Outcomes.Describe(tallies.SelectMany(t => t.Others))}"));
        if (spread > TimeSpan.Zero)
        {
            log.WriteLine($"  {ArrivalSpread(tallies)}");
        }

        log.WriteLine($"  {usage}");
        log.WriteLine($"  {threadWaits}");
        log.WriteLine($"  {ownGcUsage}");
        if (options.RelayDump is { } dump)
        {
            await DumpAsync(dump, name, tallies, atRedis, cancellationToken);
            // On Linux the Stopwatch is CLOCK_MONOTONIC, the clock perf and ftrace stamp with (perf record -k monotonic).
            var now = ReceiveStamp.Now();
            var offset = now.UnixMicroseconds / 1000.0 - now.Ticks * 1000.0 / Stopwatch.Frequency;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  every timed delta written to {dump} (read_ms − monotonic ms = {offset:F3}: subtract it to compare with perf's timestamps)"));
        }

        await StuckRuns.ReportAsync(topology.Client, [.. tallies.SelectMany(t => t.Lost)], log, cancellationToken);

        // The offline pass saturates the machine (every client starts its next run at once): its figure is queueing,
        // not relay; the target is for streams paced as a model streams.
        results.Add(name, "token relay median / p99", string.Create(CultureInfo.InvariantCulture, $"{all.Median:F3} / {all.P99:F3} ms"),
            model == "offline" ? "— (saturated)" : "≤ 1 / ≤ 5 ms",
            string.Create(CultureInfo.InvariantCulture,
                $"n={all.Count:N0} deltas, {options.RelayClients} streams; receive − ts (worker→Redis→api→client); first delta of a step: {firsts.Median:F3} / {firsts.P99:F3} ms"));
    }

    // How the timed tokens were spread over time, by the worker's ts: independent streams give about as many tokens in
    // every millisecond (a Poisson spread, with few empty ones); a pacing clock shared by the streams gives clumps.
    private static string ArrivalSpread(RelayTally[] tallies)
    {
        var stamps = tallies.SelectMany(t => t.ReadAt.Zip(t.Latencies, (readAt, latency) => (long)Math.Floor(readAt / 1000.0 - latency))).ToList();
        if (stamps.Count == 0)
        {
            return "token arrivals: none timed";
        }

        var first = stamps.Min();
        var perMillisecond = new int[stamps.Max() - first + 1];
        foreach (var stamp in stamps)
        {
            perMillisecond[stamp - first]++;
        }

        var mean = (double)stamps.Count / perMillisecond.Length;
        return string.Create(CultureInfo.InvariantCulture,
            $"token arrivals (the worker's ts): {mean:F1} a millisecond, {perMillisecond.Count(n => n == 0) * 100.0 / perMillisecond.Length:F1}% of milliseconds " +
            $"without one (independent streams: about {Math.Exp(-mean) * 100:F1}%), at most {perMillisecond.Max()} in one");
    }

    // One line per timed delta: pass, stream, when it was read (ms since the Unix epoch, UTC), latency in ms. Appends,
    // so both passes land in one file.
    // The tap's deltas (--relay-split) are stream -1.
    private static async Task DumpAsync(string path, string pass, RelayTally[] tallies, List<(long ReadAt, double Latency)>? atRedis,
        CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        if (!File.Exists(path))
        {
            lines.Add("pass,stream,read_ms,latency_ms");
        }

        for (var stream = 0; stream < tallies.Length; stream++)
        {
            var tally = tallies[stream];
            for (var i = 0; i < tally.Latencies.Count; i++)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"\"{pass}\",{stream},{tally.ReadAt[i] / 1000.0:F3},{tally.Latencies[i]:F3}"));
            }
        }

        foreach (var (readAt, latency) in atRedis ?? [])
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"\"{pass}\",-1,{readAt / 1000.0:F3},{latency:F3}"));
        }

        await File.AppendAllLinesAsync(path, lines, cancellationToken);
    }

    // A thread of its own per stream, reading with blocking reads (see RawStreamClient).
    private static Task<RelayTally> RawClient(Uri api, byte[] body, TimeSpan delay, LoadWindow window)
    {
        var done = new TaskCompletionSource<RelayTally>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Thread.Sleep(delay);
                using var client = new RawStreamClient(api, LoadTopology.ApiKey);
                var tally = new RelayTally();
                var record = Recorder(tally, window);
                while (window.Open)
                {
                    Tally(tally, client.Stream(body, record, LoadClient.RunPatience), window);
                }

                done.SetResult(tally);
            }
#pragma warning disable CA1031 // Reported through the task.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        }) { IsBackground = true, Name = "relay client" };
        thread.Start();
        return done.Task;
    }

    private static async Task<RelayTally> ClientAsync(LoadClient client, byte[] body, TimeSpan delay, LoadWindow window, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        var tally = new RelayTally();
        var record = Recorder(tally, window);
        while (window.Open)
        {
            Tally(tally, await client.StreamAsync(body, record, LoadClient.RunPatience, cancellationToken), window);
        }

        return tally;
    }

    private static void Tally(RelayTally tally, StreamedRun run, LoadWindow window)
    {
        if (run.Lost)
        {
            tally.Lost.Add(run.RunId!);
        }

        if (window.Contains(Stopwatch.GetTimestamp()))
        {
            if (run.Completed)
            {
                tally.Runs++;
            }
            else
            {
                tally.Others.Add(run.Outcome);
            }
        }
    }

    private static Action<EventLine, ReceiveStamp> Recorder(RelayTally tally, LoadWindow window)
    {
        var previous = EventKind.Other;
        return (evt, stamp) =>
        {
            if (evt.Kind == EventKind.TokenDelta && window.Contains(stamp.Ticks))
            {
                var latency = (stamp.Utc - evt.Timestamp).TotalMilliseconds;
                tally.Latencies.Add(latency);
                tally.ReadAt.Add(stamp.UnixMicroseconds);
                if (previous != EventKind.TokenDelta)
                {
                    tally.FirstOfStep.Add(latency);
                }

                tally.MinDigits = Math.Min(tally.MinDigits, evt.TimestampDigits);
                tally.MaxDigits = Math.Max(tally.MaxDigits, evt.TimestampDigits);
            }

            previous = evt.Kind;
        };
    }

    private sealed class RelayTally
    {
        public List<double> Latencies { get; } = [];

        public List<double> FirstOfStep { get; } = [];

        /// <summary>When each of <see cref="Latencies"/> was read (µs since the Unix epoch).</summary>
        public List<long> ReadAt { get; } = [];

        public int Runs { get; set; }

        public List<string> Lost { get; } = [];

        public List<string> Others { get; } = [];

        public int MinDigits { get; set; } = int.MaxValue;

        public int MaxDigits { get; set; }
    }
}
