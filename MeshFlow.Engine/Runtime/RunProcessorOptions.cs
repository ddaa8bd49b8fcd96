namespace MeshFlow.Runtime;

/// <summary>How a worker takes runs from the queue.</summary>
public sealed class RunProcessorOptions
{
    /// <summary>This consumer's name in the queue's consumer group; unique per worker process.</summary>
    public string Consumer { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How many runs this worker executes at once (default 64).</summary>
    public int MaxConcurrentRuns { get; set; } = 64;

    /// <summary>An entry delivered more times than this goes to the dead-letter stream and its run fails (default 5).</summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>How long one read waits for work before the loop checks in again (default one second).</summary>
    public TimeSpan PollWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a delivery whose run is leased by another worker checks whether the lease is free (default one second).</summary>
    public TimeSpan LeaseRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
