using System.Diagnostics;
using System.Globalization;
using MeshFlow.LoadTest.Client;
using MeshFlow.LoadTest.Reporting;
using MeshFlow.LoadTest.Topology;

namespace MeshFlow.LoadTest.Measurements;

/// <summary>
/// The topology's first requests, before any measurement: <see cref="Burst"/> <c>POST /stream</c> at once on a freshly
/// booted api, then one alone. Reported (time to response headers, the api's thread count) because a cold api that
/// gets concurrent requests first is slow to answer them; not counted in any figure.
/// </summary>
internal static class ColdStart
{
    private const int Burst = 16;

    public static async Task RunAsync(LoadTopology topology, ResultTable results, TextWriter log, CancellationToken cancellationToken)
    {
        var body = LoadWorkflows.Body(LoadWorkflows.Chain("offline"));
        var threadsBefore = ProcessTree.Threads(topology.ApiPid);
        var clock = Stopwatch.StartNew();
        var burst = await Task.WhenAll(Enumerable.Range(0, Burst)
            .Select(_ => Task.Run(() => topology.Client.StreamAsync(body, null, LoadClient.RunPatience, cancellationToken), cancellationToken)));
        var elapsed = clock.Elapsed;
        var threadsAfter = ProcessTree.Threads(topology.ApiPid);
        var headers = LatencySummary.Of(burst.Select(r => Stopwatch.GetElapsedTime(r.Sent, r.Headers).TotalMilliseconds));
        var alone = await topology.Client.StreamAsync(body, null, LoadClient.RunPatience, cancellationToken);
        var aloneHeaders = Stopwatch.GetElapsedTime(alone.Sent, alone.Headers).TotalMilliseconds;

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cold start: {Burst} POST /stream at once as the api's first requests: response headers median {headers.Median:F0} ms, slowest {headers.Max:F0} ms; " +
            $"all {burst.Count(r => r.Completed)}/{Burst} completed after {elapsed.TotalMilliseconds:F0} ms; api threads {threadsBefore} → {threadsAfter}; then one alone: headers {aloneHeaders:F1} ms"));
        log.WriteLine();
        results.Add("cold start", $"{Burst} concurrent first requests: slowest headers", string.Create(CultureInfo.InvariantCulture, $"{headers.Max:F0} ms"), "",
            string.Create(CultureInfo.InvariantCulture, $"api threads {threadsBefore} → {threadsAfter}; a request alone afterwards: {aloneHeaders:F1} ms; not in any figure below"));
    }
}
