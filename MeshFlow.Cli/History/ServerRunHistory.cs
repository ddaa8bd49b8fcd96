using System.Globalization;
using System.Text.Json;
using MeshFlow.Cli.Client;

namespace MeshFlow.Cli.History;

/// <summary>Recorded runs read from a server's API.</summary>
internal sealed class ServerRunHistory(MeshFlowClient client) : IRunHistory
{
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

        // Each row of GET /runs carries the run's totals: one call lists them all.
        using var list = await client.GetAsync($"runs?{string.Join('&', query)}", runId: null, cancellationToken);
        return ApiJson.Read<RunList>(list.RootElement, "GET /runs").Runs;
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

    private sealed record RunList(IReadOnlyList<RunRow> Runs);

    private sealed record LedgerKeys(string CurrentKeyId, IReadOnlyDictionary<string, string> Keys);
}
