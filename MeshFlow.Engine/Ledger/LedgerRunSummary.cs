namespace MeshFlow.Ledger;

/// <summary>A run as the ledger knows it: kept current by the records appended to it.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="RunId">The run.</param>
/// <param name="Workflow">The workflow's name (from the run_start record).</param>
/// <param name="Status">
/// <c>queued</c> once its run_start record is appended (accepted, no work recorded yet); <c>running</c> once any
/// later record other than run_end is; then the final status a run_end record names (<c>completed</c>,
/// <c>failed</c>, ...), which records appended after it leave alone.
/// </param>
/// <param name="LastSeq">The last record's sequence number.</param>
/// <param name="CreatedAt">When the run_start record was made.</param>
/// <param name="UpdatedAt">When the last record was made.</param>
public sealed record LedgerRunSummary(string TenantId, string RunId, string Workflow, string Status, long LastSeq,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The run's steps, tokens and cost, by the rule <see cref="LedgerRunTotals"/> states.</summary>
    public LedgerRunTotals Totals { get; init; } = LedgerRunTotals.None;

    /// <summary>Whether the run has ended (completed, failed, blocked or cancelled): not queued, running or paused.</summary>
    public bool HasEnded => Status is not ("queued" or "running" or "paused");
}
