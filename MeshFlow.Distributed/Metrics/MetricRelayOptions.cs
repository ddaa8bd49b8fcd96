namespace MeshFlow.Distributed.Metrics;

/// <summary>How workers relay their measurements to the API instances over Redis pub/sub.</summary>
public sealed class MetricRelayOptions
{
    /// <summary>The pub/sub channel the samples travel on.</summary>
    public string Channel { get; set; } = "meshflow:metrics";

    /// <summary>How often a worker reports its runs in flight even when nothing changed (its heartbeat).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most samples waiting to be sent; past it new samples are dropped (and counted in the log), so a Redis outage
    /// never grows a worker's memory or slows its runs.
    /// </summary>
    public int MaxPending { get; set; } = 10_000;

    /// <summary>The most samples in one message.</summary>
    public int MaxBatch { get; set; } = 256;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Channel, nameof(Channel));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPending, 1, nameof(MaxPending));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatch, 1, nameof(MaxBatch));
    }
}
