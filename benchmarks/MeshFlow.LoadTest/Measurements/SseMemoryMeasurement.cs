using System.Globalization;
using MeshFlow.LoadTest.Client;
using MeshFlow.LoadTest.Reporting;
using MeshFlow.LoadTest.Topology;

namespace MeshFlow.LoadTest.Measurements;

/// <summary>
/// The api's memory per open SSE stream: <see cref="LoadTestOptions.Streams"/> runs started with <c>POST /runs</c> on
/// a model that streams one token a second (the load test's LLM server), one <c>GET /runs/{id}/events</c> stream per
/// run; the api's resident memory (VmRSS, and RssAnon: its heap without mapped files) is read before the streams
/// open and after they have been held open, and (after − before) / streams is reported. The workers run 2×64 of the
/// runs; the rest wait queued, their streams open all the same. At the end every run is cancelled.
/// </summary>
internal static class SseMemoryMeasurement
{
    private const int RequestsAtOnce = 16;
    private const int WarmupStreams = 64;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan EndTimeout = TimeSpan.FromMinutes(2);

    public static async Task RunAsync(LoadTopology topology, LoadTestOptions options, ResultTable results, TextWriter log, CancellationToken cancellationToken)
    {
        var model = PacedLlmServer.Model("hold", TimeSpan.FromSeconds(1), 600);
        var body = LoadWorkflows.Body(LoadWorkflows.Single(model));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sse-memory: {options.Streams:N0} runs on model '{model}' (POST /runs), one SSE stream each (GET /runs/{{id}}/events), held {options.Hold.TotalSeconds:0} s; api pid {topology.ApiPid}"));
        var client = topology.Client;

        // Warm-up: the SSE path compiled and its pools primed, so "before" already holds what the first stream costs once.
        var warmupRuns = await StartRunsAsync(client, body, WarmupStreams, cancellationToken);
        var warmup = HeldStreams.Start(client, warmupRuns, cancellationToken);
        await warmup.Opened.WaitAsync(EndTimeout, cancellationToken);
        await Task.Delay(Settle, cancellationToken);
        await CancelRunsAsync(client, warmupRuns, cancellationToken);
        await warmup.EndAsync(EndTimeout);

        var runIds = await StartRunsAsync(client, body, options.Streams, cancellationToken);
        await Task.Delay(Settle, cancellationToken);
        var before = await MemorySample.ReadAsync(topology.ApiPid, cancellationToken);

        // Opened in two halves, memory read after each: two slopes that agree make the figure worth more than one.
        var half = runIds.Length / 2;
        var first = HeldStreams.Start(client, runIds[..half], cancellationToken);
        await first.Opened.WaitAsync(EndTimeout, cancellationToken);
        var cpu = CpuUsage.Start();
        await Task.Delay(options.Hold / 2, cancellationToken);
        var middle = await MemorySample.ReadAsync(topology.ApiPid, cancellationToken);
        var openAtMiddle = first.Open;
        var second = HeldStreams.Start(client, runIds[half..], cancellationToken);
        await second.Opened.WaitAsync(EndTimeout, cancellationToken);
        await Task.Delay(options.Hold / 2, cancellationToken);
        var after = await MemorySample.ReadAsync(topology.ApiPid, cancellationToken);
        var open = first.Open + second.Open;
        var usage = cpu.Stop();

        var cancelled = await CancelRunsAsync(client, runIds, cancellationToken);
        var endings = (await Task.WhenAll(first.EndAsync(EndTimeout), second.EndAsync(EndTimeout))).SelectMany(e => e).ToList();
        await Task.Delay(Settle, cancellationToken);
        var closed = await MemorySample.ReadAsync(topology.ApiPid, cancellationToken);

        var perStream = (after.RssKiB - before.RssKiB) / (double)open;
        var anonPerStream = (after.AnonKiB - before.AnonKiB) / (double)open;
        var firstSlope = (middle.RssKiB - before.RssKiB) / (double)openAtMiddle;
        var secondSlope = (after.RssKiB - middle.RssKiB) / (double)(open - openAtMiddle);
        var ends = Outcomes.Describe(endings.Select(e => e ?? "never opened"));
        log.WriteLine($"  api memory before: {before}; {openAtMiddle:N0} streams open: {middle}; {open:N0} open: {after}; after they closed: {closed}");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {open:N0} streams open at the reading ({first.Failed + second.Failed} failed to open: {Outcomes.Describe(first.Failures.Concat(second.Failures))}); " +
            $"{perStream:F1} KiB RSS per stream (first half {firstSlope:F1}, second half {secondSlope:F1}), {anonPerStream:F1} KiB RssAnon per stream"));
        log.WriteLine($"  while held: {usage}");
        log.WriteLine($"  cancel accepted for {cancelled:N0} runs; the streams ended: {ends}");

        results.Add("sse-memory", "api KiB per open SSE stream", perStream.ToString("F1", CultureInfo.InvariantCulture), "≤ 35 KiB (LangGraph 230)",
            string.Create(CultureInfo.InvariantCulture,
                $"ΔVmRSS {(after.RssKiB - before.RssKiB) / 1024.0:F1} MiB / {open:N0} streams (1 per run; ≤128 running, rest queued); halves {firstSlope:F1} / {secondSlope:F1}; ΔRssAnon/stream {anonPerStream:F1}"));
    }

    private static async Task<string[]> StartRunsAsync(LoadClient client, byte[] body, int count, CancellationToken cancellationToken)
    {
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = RequestsAtOnce, CancellationToken = cancellationToken },
            async (i, token) => ids[i] = await client.StartAsync(body, token));
        return ids;
    }

    private static async Task<int> CancelRunsAsync(LoadClient client, IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        var accepted = 0;
        await Parallel.ForEachAsync(runIds, new ParallelOptions { MaxDegreeOfParallelism = RequestsAtOnce, CancellationToken = cancellationToken },
            async (runId, token) =>
            {
                if (await client.CancelAsync(runId, token))
                {
                    Interlocked.Increment(ref accepted);
                }
            });
        return accepted;
    }
}
