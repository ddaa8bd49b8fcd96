using System.Diagnostics;
using System.Globalization;
using MeshFlow.LoadTest.Client;
using MeshFlow.LoadTest.Reporting;
using MeshFlow.LoadTest.Topology;

namespace MeshFlow.LoadTest.Measurements;

/// <summary>
/// Completed runs per second: <see cref="LoadTestOptions.Clients"/> clients, each looping one three-step offline run
/// after another (<c>POST /stream</c> as NDJSON read to <c>run_end</c>, or <c>POST /runs</c> then
/// <c>GET /runs/{id}/events</c>); runs whose <c>run_end</c> arrives inside the measured interval count.
/// </summary>
internal static class ThroughputMeasurement
{
    public static async Task RunAsync(LoadTopology topology, LoadTestOptions options, ResultTable results, TextWriter log, CancellationToken cancellationToken)
    {
        var method = options.ThroughputViaRuns ? "POST /runs + GET /runs/{id}/events" : "POST /stream (NDJSON)";
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"throughput: {options.Clients} clients looping {method}, 3-step offline workflow, warm-up of {options.Warmup.TotalSeconds:0} s or until the services' JIT settles (at most {options.MaximumWarmup.TotalSeconds:0} s) + {options.Duration.TotalSeconds:0} s measured"));
        var body = LoadWorkflows.Body(LoadWorkflows.Chain("offline"));
        var window = new LoadWindow(options.Warmup, options.MaximumWarmup, options.Duration);
        var clients = Enumerable.Range(0, options.Clients)
            .Select(_ => Task.Run(() => ClientAsync(topology.Client, body, options.ThroughputViaRuns, window, cancellationToken), cancellationToken))
            .ToList();

        await window.UntilStartAsync(log, cancellationToken);
        var cpu = CpuUsage.Start();
        await window.UntilEndAsync(cancellationToken);
        var usage = cpu.Stop();

        // Runs in flight at the end finish (they are not counted) before the next measurement starts.
        var tallies = await Task.WhenAll(clients).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        var completed = tallies.Sum(t => t.Completed);
        var durations = LatencySummary.Of(tallies.SelectMany(t => t.Durations));
        var tokens = tallies.Sum(t => t.TokenDeltas);
        var runsPerSecond = completed / options.Duration.TotalSeconds;
        var failures = Outcomes.Describe(tallies.SelectMany(t => t.Others));

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {completed:N0} runs completed in {options.Duration.TotalSeconds:0} s = {runsPerSecond:F1} runs/s; {(completed == 0 ? 0 : (double)tokens / completed):F1} token deltas per run; not completed: {failures}"));
        log.WriteLine($"  run duration (request sent → run_end received): {durations}");
        log.WriteLine($"  {usage}");
        await StuckRuns.ReportAsync(topology.Client, [.. tallies.SelectMany(t => t.Lost)], log, cancellationToken);

        var name = options.ThroughputViaRuns ? "throughput (/runs)" : "throughput";
        results.Add(name, "completed runs/s", runsPerSecond.ToString("F1", CultureInfo.InvariantCulture), "≥ 300 (LangGraph ~82)",
            string.Create(CultureInfo.InvariantCulture, $"{completed:N0} runs in {options.Duration.TotalSeconds:0} s, {options.Clients} clients, {method}; {failures}"));
        results.Add(name, "run duration median / p99", string.Create(CultureInfo.InvariantCulture, $"{durations.Median:F1} / {durations.P99:F1} ms"), "",
            "request sent → run_end received, under this load");
    }

    private static async Task<ClientTally> ClientAsync(LoadClient client, byte[] body, bool viaRuns, LoadWindow window, CancellationToken cancellationToken)
    {
        var tally = new ClientTally();
        var tokens = 0;
        void Count(EventLine evt, ReceiveStamp stamp)
        {
            if (evt.Kind == EventKind.TokenDelta)
            {
                tokens++;
            }
        }

        while (window.Open)
        {
            tokens = 0;
            var run = viaRuns
                ? await client.StartAndFollowAsync(body, Count, LoadClient.RunPatience, cancellationToken)
                : await client.StreamAsync(body, Count, LoadClient.RunPatience, cancellationToken);
            var ended = Stopwatch.GetTimestamp();
            if (run.Lost)
            {
                tally.Lost.Add(run.RunId!);
            }

            if (!window.Contains(ended))
            {
                continue;
            }

            if (run.Completed)
            {
                tally.Completed++;
                tally.TokenDeltas += tokens;
                tally.Durations.Add(Stopwatch.GetElapsedTime(run.Sent, ended).TotalMilliseconds);
            }
            else
            {
                tally.Others.Add(run.Outcome);
            }
        }

        return tally;
    }

    private sealed class ClientTally
    {
        public int Completed { get; set; }

        public long TokenDeltas { get; set; }

        public List<double> Durations { get; } = [];

        public List<string> Others { get; } = [];

        public List<string> Lost { get; } = [];
    }
}
