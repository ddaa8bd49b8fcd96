namespace MeshFlow.Observability.Metrics;

/// <summary>The caps that keep the metrics' label sets small.</summary>
public sealed class MeshFlowMetricsOptions
{
    /// <summary>
    /// How many agents <c>meshflow_uncertainty_score</c> shows: the most recently scored ones. An agent scored again
    /// returns; the one scored longest ago leaves.
    /// </summary>
    public int MaxUncertaintyAgents { get; set; } = 100;

    /// <summary>How many provider/model pairs get labels of their own; the pairs seen after them count as <c>other</c>.</summary>
    public int MaxModels { get; set; } = 100;

    /// <summary>How long a worker's reported count of runs in flight stands without a newer report.</summary>
    public TimeSpan WorkerReportLifetime { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUncertaintyAgents, 1, nameof(MaxUncertaintyAgents));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxModels, 1, nameof(MaxModels));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WorkerReportLifetime, TimeSpan.Zero, nameof(WorkerReportLifetime));
    }
}
