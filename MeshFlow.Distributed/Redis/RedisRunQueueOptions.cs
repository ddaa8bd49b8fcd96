namespace MeshFlow.Distributed.Redis;

/// <summary>Where <see cref="RedisRunQueue"/> keeps its entries, and how long a silent consumer keeps them.</summary>
public sealed class RedisRunQueueOptions
{
    /// <summary>
    /// The prefix of every key the queue uses (default <c>meshflow</c>): the runs stream <c>&lt;prefix&gt;:runs</c>,
    /// the held-runs hash <c>&lt;prefix&gt;:runs:held</c>, the wake-up channel <c>&lt;prefix&gt;:runs:wake</c> and the
    /// leases <c>&lt;prefix&gt;:lease:&lt;tenant&gt;/&lt;run&gt;</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "meshflow";

    /// <summary>The consumer group every worker reads the runs stream with (default <c>workers</c>).</summary>
    public string ConsumerGroup { get; set; } = "workers";

    /// <summary>
    /// An entry pending this long without renewal belongs to a dead consumer and is delivered again to another
    /// (default 30 s). Must be longer than <see cref="RenewInterval"/>.
    /// </summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a live consumer renews the entries it is executing (default 10 s).</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a run's lease outlives its holder's last renewal (default 30 s); renewed every third of it.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether an idle read waits in <c>XREADGROUP ... BLOCK</c> on a connection of the queue's own (default true), so
    /// that a queued run reaches a waiting worker in one message from Redis. When false (for a proxy that does not
    /// pass blocking commands), or while that connection is down, an idle read sleeps until a wake-up message on the
    /// shared connection and then reads: two more hops before a run starts.
    /// </summary>
    public bool BlockingReads { get; set; } = true;

    /// <summary>The dead-letter stream; <c>&lt;prefix&gt;:runs:dead</c> when null (the default).</summary>
    public string? DeadLetterStreamKey { get; set; }

    internal string RunsStreamKey => KeyPrefix + ":runs";

    internal string HeldKey => KeyPrefix + ":runs:held";

    internal string WakeChannel => KeyPrefix + ":runs:wake";

    internal string DeadLetterKey => DeadLetterStreamKey ?? KeyPrefix + ":runs:dead";

    internal string LeaseKey(string runKey) => KeyPrefix + ":lease:" + runKey;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(KeyPrefix);
        ArgumentException.ThrowIfNullOrEmpty(ConsumerGroup);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RenewInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseTime, TimeSpan.Zero);
        if (ClaimIdleTime <= RenewInterval)
        {
            throw new ArgumentException(
                $"ClaimIdleTime ({ClaimIdleTime}) must be longer than RenewInterval ({RenewInterval}), or live consumers lose the runs they execute.");
        }
    }
}
