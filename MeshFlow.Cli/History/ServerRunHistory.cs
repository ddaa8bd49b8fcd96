using System.Globalization;
using System.Text.Json;
using MeshFlow.Cli.Client;

namespace MeshFlow.Cli.History;

/// <summary>Recorded runs read from a server's API.</summary>
internal sealed class ServerRunHistory(MeshFlowClient client) : IRunHistory
{
    // GET /runs lists ids and statuses; each run's totals are one GET /runs/{id}, a few at a time.
    private const int ParallelReads = 4;

    public string Source => client.Url;

    public async Task<IReadOnlyList<RunRow>> ListRunsAsync(RunFilter filter, CancellationToken cancellationToken)
    {
        var query = new List<string> { $"limit={filter.Limit.ToString(CultureInfo.InvariantCulture)}" };
        if (filter.Status is { } status)
        {
            query.Add($"status={Uri.EscapeDataString(status)}");
        }

        if (filter.Workflow is { } workflow)
        {
            query.Add($"workflow={Uri.EscapeDataString(workflow)}");
        }

        using var list = await client.GetAsync($"runs?{string.Join('&', query)}", runId: null, cancellationToken);
        var ids = ApiJson.Read<RunList>(list.RootElement, "GET /runs").Runs.Select(r => r.RunId).ToList();
        var rows = new RunRow?[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                // A run erased between the list and the read is no longer there to show.
                using var run = await client.GetOrNullAsync($"runs/{Uri.EscapeDataString(ids[i])}", token);
                rows[i] = run is null ? null : ApiJson.Read<RunRow>(run.RootElement, $"GET /runs/{ids[i]}");
            });
        return [.. rows.OfType<RunRow>()];
    }

    public Task<JsonDocument> ReadTraceAsync(string runId, CancellationToken cancellationToken) =>
        client.GetAsync($"traces/{Uri.EscapeDataString(runId)}", runId, cancellationToken);

    public Task<JsonDocument> ReadStepAsync(string runId, string stepId, CancellationToken cancellationToken) =>
        client.GetAsync($"traces/{Uri.EscapeDataString(runId)}/steps/{Uri.EscapeDataString(stepId)}/replay", runId, cancellationToken);

    public Task<byte[]> ExportAsync(string runId, bool hashesOnly, CancellationToken cancellationToken) =>
        client.GetBytesAsync($"traces/{Uri.EscapeDataString(runId)}/export{(hashesOnly ? "?hashes_only=true" : "")}", runId, cancellationToken);

    public async Task<(string KeyId, string PublicKey)> ReadSigningKeyAsync(CancellationToken cancellationToken)
    {
        using var answer = await client.GetAsync("ledger/keys", runId: null, cancellationToken);
        var keys = ApiJson.Read<LedgerKeys>(answer.RootElement, "GET /ledger/keys");
        return keys.Keys.TryGetValue(keys.CurrentKeyId, out var key)
            ? (keys.CurrentKeyId, key)
            : throw new CliException($"the server's GET /ledger/keys does not list its current key '{keys.CurrentKeyId}'");
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed record RunList(IReadOnlyList<RunListItem> Runs);

    private sealed record RunListItem(string RunId);

    private sealed record LedgerKeys(string CurrentKeyId, IReadOnlyDictionary<string, string> Keys);
}
