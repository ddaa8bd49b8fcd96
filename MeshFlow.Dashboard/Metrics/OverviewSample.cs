namespace MeshFlow.Dashboard.Metrics;

/// <summary>The overview's numbers sampled at <see cref="At"/>.</summary>
public sealed record OverviewSample(DateTimeOffset At, OverviewTotals Totals);
