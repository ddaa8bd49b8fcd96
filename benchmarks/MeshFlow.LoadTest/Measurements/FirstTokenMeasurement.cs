using System.Diagnostics;
using System.Globalization;
using MeshFlow.LoadTest.Client;
using MeshFlow.LoadTest.Reporting;
using MeshFlow.LoadTest.Topology;

namespace MeshFlow.LoadTest.Measurements;

/// <summary>
/// Time to first token at low load: one client, one <c>POST /stream</c> after another, from sending the request to
/// reading the first <c>token_delta</c> line. The events' <c>ts</c> (stamped by the worker on the same clock) split
/// it into: request → run_start stamped (api accepts and queues the run, a worker picks it up and opens it),
/// run_start → first token stamped (the engine's first step), first token stamped → received (the relay back).
/// </summary>
internal static class FirstTokenMeasurement
{
    public static async Task RunAsync(LoadTopology topology, LoadTestOptions options, ResultTable results, TextWriter log, CancellationToken cancellationToken)
    {
        log.WriteLine($"first-token: 1 client, {options.FirstTokenWarmup} + {options.FirstTokenRequests} sequential POST /stream (NDJSON), 3-step offline workflow");
        var body = LoadWorkflows.Body(LoadWorkflows.Chain("offline"));
        var firstToken = new List<double>();
        var headers = new List<double>();
        var toRunStart = new List<double>();
        var toTokenStamped = new List<double>();
        var relayBack = new List<double>();
        var failures = new List<string>();
        for (var i = 0; i < options.FirstTokenWarmup + options.FirstTokenRequests; i++)
        {
            ReceiveStamp? received = null;
            EventLine? start = null;
            EventLine? token = null;
            var sentUtc = DateTimeOffset.UtcNow;
            var run = await topology.Client.StreamAsync(body, (evt, stamp) =>
            {
                if (evt.Kind == EventKind.RunStart)
                {
                    start ??= evt;
                }
                else if (evt.Kind == EventKind.TokenDelta && token is null)
                {
                    token = evt;
                    received = stamp;
                }
            }, LoadClient.RunPatience, cancellationToken);

            if (i < options.FirstTokenWarmup)
            {
                if (i == options.FirstTokenWarmup - 1)
                {
                    // What these requests made the JIT compile is compiled before the measured ones are sent.
                    await ServiceJit.UntilSettledAsync(Stopwatch.GetTimestamp(), TimeSpan.Zero, options.MaximumWarmup, log, cancellationToken);
                }

                continue;
            }

            if (!run.Completed || received is not { } at || token is not { } first || start is not { } begun)
            {
                failures.Add(run.Completed ? "completed without token_delta or run_start" : run.Outcome);
                continue;
            }

            firstToken.Add(at.MillisecondsSince(run.Sent));
            headers.Add(Stopwatch.GetElapsedTime(run.Sent, run.Headers).TotalMilliseconds);
            toRunStart.Add((begun.Timestamp - sentUtc).TotalMilliseconds);
            toTokenStamped.Add((first.Timestamp - begun.Timestamp).TotalMilliseconds);
            relayBack.Add((at.Utc - first.Timestamp).TotalMilliseconds);
        }

        var summary = LatencySummary.Of(firstToken);
        log.WriteLine($"  first token: {summary}{(failures.Count > 0 ? $"; not measured: {Outcomes.Describe(failures)}" : string.Empty)}");
        log.WriteLine($"  response headers (run accepted and queued): {LatencySummary.Of(headers)}");
        log.WriteLine($"  request → run_start ts (queued, picked up by a worker): {LatencySummary.Of(toRunStart)}");
        log.WriteLine($"  run_start ts → first token ts (inside the worker): {LatencySummary.Of(toTokenStamped)}");
        log.WriteLine($"  first token ts → received (worker → Redis → api → client): {LatencySummary.Of(relayBack)}");

        results.Add("first-token", "median / p99", string.Create(CultureInfo.InvariantCulture, $"{summary.Median:F2} / {summary.P99:F2} ms"), "≤ 10 ms median (LangGraph 57)",
            string.Create(CultureInfo.InvariantCulture,
                $"n={summary.Count}, sequential POST /stream; medians: headers {Median(headers):F2}, →run_start {Median(toRunStart):F2}, →token stamped +{Median(toTokenStamped):F2}, relay +{Median(relayBack):F2} ms"));
    }

    private static double Median(List<double> samples) => LatencySummary.Of(samples).Median;
}
