using System.Globalization;
using MeshFlow.LoadTest.Client;

namespace MeshFlow.LoadTest.Measurements;

/// <summary>Runs the api accepted whose <c>run_end</c> never reached the client: what the ledger says of them.</summary>
internal static class StuckRuns
{
    private const int Described = 5;

    public static async Task ReportAsync(LoadClient client, IReadOnlyCollection<string> runIds, TextWriter log, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
        {
            return;
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {runIds.Count} accepted runs whose run_end never reached the client; the ledger says of the first {Math.Min(Described, runIds.Count)}:"));
        foreach (var runId in runIds.Take(Described))
        {
            log.WriteLine("    " + await client.DescribeRunAsync(runId, cancellationToken));
        }
    }
}
