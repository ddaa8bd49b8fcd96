namespace MeshFlow.Dashboard.Metrics;

/// <summary>Where the overview's numbers come from.</summary>
public enum OverviewSource
{
    /// <summary>The API's <c>GET /metrics</c> counters.</summary>
    Metrics,

    /// <summary>Totals of <c>GET /runs</c> pages over the last 24 hours (the key may not read metrics, or the API has none).</summary>
    RecentRuns,
}
