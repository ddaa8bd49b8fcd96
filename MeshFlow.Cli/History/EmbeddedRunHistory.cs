using System.Text;
using System.Text.Json;
using MeshFlow.Api.Runs;
using MeshFlow.Api.Traces;
using MeshFlow.Cli.Client;
using MeshFlow.Cli.Embedded;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Evidence;

namespace MeshFlow.Cli.History;

/// <summary>
/// Recorded runs read from the embedded ledger, through the API's own view records, so they print exactly as a
/// server's answers do.
/// </summary>
internal sealed class EmbeddedRunHistory(EmbeddedMeshFlow embedded, string tenantId) : IRunHistory
{
    public string Source => embedded.DataDirectory;

    public async Task<IReadOnlyList<RunRow>> ListRunsAsync(RunFilter filter, CancellationToken cancellationToken)
    {
        var page = await embedded.Store.ListRunsAsync(tenantId,
            new LedgerRunQuery { Status = filter.Status, Workflow = filter.Workflow, Limit = filter.Limit }, cancellationToken);
        return [.. page.Runs.Select(RunListItem.From).Select(item => new RunRow(item.RunId, item.Status, item.Workflow, item.CreatedAt,
            item.UpdatedAt, item.Steps, item.Tokens, item.CostUsd, item.DurationMs))];
    }

    public async Task<JsonDocument> ReadTraceAsync(string runId, CancellationToken cancellationToken)
    {
        var summary = await RequireRunAsync(runId, cancellationToken);
        var records = await embedded.Store.ReadRecordsAsync(tenantId, runId, cancellationToken);
        return ApiJson.ToDocument(new TraceView(runId, summary.Status, summary.Workflow, [.. records.Select(TraceStep.From)]));
    }

    public async Task<JsonDocument> ReadStepAsync(string runId, string stepId, CancellationToken cancellationToken)
    {
        await RequireRunAsync(runId, cancellationToken);
        var record = await embedded.Store.ReadStepRecordAsync(tenantId, runId, stepId, cancellationToken)
            ?? throw new CliException($"run '{runId}' has no step '{stepId}' (step ids are node:iteration, such as writer:1)");
        var step = record.Redacted ? null : LedgerPayloads.ReadStep(record.Payload);
        return ApiJson.ToDocument(new StepReplayView(runId, stepId, record.Seq, record.NodeId, record.AgentId, step?.InputTask, step?.Output,
            step?.ToolCalls ?? [], step?.Model, step?.Offline ?? false, step?.OutputTruncated ?? false, record.Verdict, record.BlockReason,
            record.TokensInput, record.TokensOutput, record.TokensEstimated, record.CostUsd, record.DurationMs, record.Redacted, record.EntryHash));
    }

    public async Task<byte[]> ExportAsync(string runId, bool hashesOnly, CancellationToken cancellationToken)
    {
        var bundle = await EvidenceBundles.CreateAsync(embedded.Store, tenantId, runId, includePayloads: !hashesOnly, embedded.Ledger.TimeProvider,
            cancellationToken) ?? throw NoRun(runId);
        return Encoding.UTF8.GetBytes(EvidenceBundles.Serialize(bundle));
    }

    public Task<(string KeyId, string PublicKey)> ReadSigningKeyAsync(CancellationToken cancellationToken)
    {
        var signer = embedded.Ledger.Signer;
        return Task.FromResult((signer.KeyId, Convert.ToBase64String(signer.PublicKey)));
    }

    public ValueTask DisposeAsync() => embedded.DisposeAsync();

    private async Task<LedgerRunSummary> RequireRunAsync(string runId, CancellationToken cancellationToken) =>
        await embedded.Store.ReadRunAsync(tenantId, runId, cancellationToken) ?? throw NoRun(runId);

    private CliException NoRun(string runId) =>
        new($"no run '{runId}' in {embedded.DataDirectory} (tenant '{tenantId}'): pass --data-dir, --tenant, or --url for a server");
}
