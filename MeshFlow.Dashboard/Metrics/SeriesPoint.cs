namespace MeshFlow.Dashboard.Metrics;

/// <summary>One bar or point of a small chart: its label (an hour, a time of day) and its value.</summary>
public sealed record SeriesPoint(string Label, double Value);
