namespace MeshFlow.Ledger;

/// <summary>One page of a tenant's runs, newest first.</summary>
/// <param name="Runs">The runs of this page, by creation time descending, then run id descending.</param>
/// <param name="NextCursor">
/// Where the next page starts (pass it as <see cref="LedgerRunQuery.Cursor"/>); null when no run follows this page.
/// </param>
public sealed record LedgerRunPage(IReadOnlyList<LedgerRunSummary> Runs, string? NextCursor);
