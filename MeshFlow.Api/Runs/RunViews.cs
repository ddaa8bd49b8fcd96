using MeshFlow.Ledger;

namespace MeshFlow.Api.Runs;

/// <summary>The links of a run.</summary>
public sealed record RunLinks(string Self, string Events, string Trace)
{
    /// <summary>The links of a run by id.</summary>
    public static RunLinks For(string runId) => new($"/runs/{runId}", $"/runs/{runId}/events", $"/traces/{runId}");
}

/// <summary>The answer to <c>POST /runs</c>.</summary>
public sealed record RunAccepted(string RunId, string Status, RunLinks Links);

/// <summary>A run in a list.</summary>
public sealed record RunListItem(string RunId, string Status, string Workflow, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A page of runs; <see cref="NextCursor"/> fetches the next one.</summary>
public sealed record RunList(IReadOnlyList<RunListItem> Runs, string? NextCursor);

/// <summary>The answer to <c>POST /runs/{id}/cancel</c>.</summary>
public sealed record RunCancelling(string RunId, string Status);

/// <summary>A run as <c>GET /runs/{id}</c> shows it.</summary>
public sealed record RunView(string RunId, string Status, string Workflow, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    int Steps, long Tokens, decimal CostUsd, string? Output, object? Error, RunLinks Links)
{
    /// <summary>The view of a run from its ledger summary and records.</summary>
    public static RunView From(LedgerRunSummary summary, IReadOnlyList<LedgerRecord> records)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(records);
        var steps = records.Where(r => r.Kind == LedgerRecordKinds.Step).ToList();
        var end = records.LastOrDefault(r => r.Kind == LedgerRecordKinds.RunEnd);
        var payload = end is { Redacted: false } ? LedgerPayloads.ReadRunEnd(end.Payload) : null;
        var tokens = end is not null ? end.TokensInput + end.TokensOutput : steps.Sum(s => s.TokensInput + s.TokensOutput);
        var cost = end is not null ? end.CostUsd : steps.Sum(s => s.CostUsd);
        return new RunView(summary.RunId, summary.Status, summary.Workflow, summary.CreatedAt, summary.UpdatedAt, steps.Count, tokens, cost,
            payload?.Output, payload?.Error, RunLinks.For(summary.RunId));
    }
}
