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

/// <summary>A run in a list, with the totals <c>GET /runs/{id}</c> shows, so a client needs no call per row.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Status">Its status.</param>
/// <param name="Workflow">Its workflow's name.</param>
/// <param name="CreatedAt">When it started (its run_start record).</param>
/// <param name="UpdatedAt">Its last record's time.</param>
/// <param name="Steps">Its step records.</param>
/// <param name="Tokens">Input and output tokens, by the same rule as the run's own view.</param>
/// <param name="CostUsd">Its cost, by the same rule as the run's own view.</param>
/// <param name="DurationMs">For an ended run, updated_at minus created_at in milliseconds; null while it has not ended.</param>
public sealed record RunListItem(string RunId, string Status, string Workflow, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    int Steps, long Tokens, decimal CostUsd, long? DurationMs)
{
    /// <summary>The list row of a run from its ledger summary.</summary>
    public static RunListItem From(LedgerRunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var totals = summary.Totals;
        return new RunListItem(summary.RunId, summary.Status, summary.Workflow, summary.CreatedAt, summary.UpdatedAt, totals.Steps,
            totals.Tokens, totals.CostUsd, summary.HasEnded ? (long)(summary.UpdatedAt - summary.CreatedAt).TotalMilliseconds : null);
    }
}

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
        var end = records.LastOrDefault(r => r.Kind == LedgerRecordKinds.RunEnd);
        var payload = end is { Redacted: false } ? LedgerPayloads.ReadRunEnd(end.Payload) : null;

        // The same rule the store's running totals follow, so the list and this view agree.
        var totals = LedgerRunTotals.From(records);
        return new RunView(summary.RunId, summary.Status, summary.Workflow, summary.CreatedAt, summary.UpdatedAt, totals.Steps, totals.Tokens,
            totals.CostUsd, payload?.Output, payload?.Error, RunLinks.For(summary.RunId));
    }
}
