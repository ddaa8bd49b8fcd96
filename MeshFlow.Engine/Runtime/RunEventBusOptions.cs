namespace MeshFlow.Runtime;

/// <summary>How long a run's events are kept for resuming readers.</summary>
public sealed class RunEventBusOptions
{
    /// <summary>How long a run's events are kept after its last event (default one hour).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many events are kept per run; the oldest go first (default 100,000).</summary>
    public int MaxEventsPerRun { get; set; } = 100_000;
}
