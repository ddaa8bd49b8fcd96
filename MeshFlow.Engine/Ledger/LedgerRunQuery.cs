namespace MeshFlow.Ledger;

/// <summary>
/// Which of a tenant's runs <see cref="ILedgerStore.ListRunsAsync"/> returns, and from where: the filters, the page
/// size and the cursor of the page before. A filter left null matches every run.
/// </summary>
/// <remarks>
/// The creation-time window is half-open, <c>[CreatedAfter, CreatedBefore)</c>, so consecutive windows neither overlap
/// nor miss a run. Times are compared at the stores' precision, whole milliseconds.
/// </remarks>
public sealed record LedgerRunQuery
{
    /// <summary>The page size when none is given.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page a store returns.</summary>
    public const int MaxLimit = 500;

    /// <summary>Only runs with exactly this status (<c>queued</c>, <c>running</c>, or a run_end's final status).</summary>
    public string? Status { get; init; }

    /// <summary>Only runs of exactly this workflow name.</summary>
    public string? Workflow { get; init; }

    /// <summary>Only runs created at or after this instant (inclusive).</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only runs created strictly before this instant (exclusive).</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>The most runs to return, from 1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>
    /// The <see cref="LedgerRunPage.NextCursor"/> of the previous page, to continue after it; null for the first page.
    /// </summary>
    public string? Cursor { get; init; }
}
