using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MeshFlow.Observability;

/// <summary>MeshFlow's ActivitySource and Meter, both named <see cref="Name"/>; hosts register that name with OpenTelemetry.</summary>
public static class MeshFlowTelemetry
{
    /// <summary>The name of the ActivitySource and the Meter.</summary>
    public const string Name = "MeshFlow";

    /// <summary>Spans for runs and steps.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>Counters for runs started and steps; the host's metrics (<see cref="Metrics.MeshFlowMetrics"/>) add the rest.</summary>
    public static Meter Meter { get; } = new(Name);

    internal static Counter<long> RunsStarted { get; } = Meter.CreateCounter<long>("meshflow.runs.started", description: "Runs started.");

    internal static Counter<long> Steps { get; } = Meter.CreateCounter<long>("meshflow.steps", description: "Steps finished.");
}
