namespace MeshFlow.Dashboard.Metrics;

/// <summary>One sample line of the Prometheus text exposition: a metric name, its labels and its value.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>The label's value, or null when the sample does not carry it.</summary>
    public string? Label(string name) => Labels.TryGetValue(name, out var value) ? value : null;
}
