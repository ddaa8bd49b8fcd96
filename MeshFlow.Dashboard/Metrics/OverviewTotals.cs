namespace MeshFlow.Dashboard.Metrics;

/// <summary>
/// The overview's numbers at one moment and where they come from: the API's <c>/metrics</c> counters (since the API
/// started) or the tenant's runs of the last 24 hours when the key may not read metrics.
/// </summary>
public sealed record OverviewTotals(
    OverviewSource Source,
    IReadOnlyDictionary<string, long> RunsByStatus,
    IReadOnlyDictionary<string, long>? BlocksByReason,
    long Tokens,
    decimal CostUsd,
    long? HitlPending,
    bool Truncated = false)
{
    /// <summary>All runs counted, whatever their status.</summary>
    public long Runs => RunsByStatus.Values.Sum();
}
