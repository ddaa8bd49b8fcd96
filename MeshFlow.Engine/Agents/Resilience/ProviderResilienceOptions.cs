namespace MeshFlow.Agents.Resilience;

/// <summary>
/// How provider calls are retried and when a connection's circuit breaker opens. Only transient failures count: a
/// rate limit (429), a server error (5xx), a timeout or a dropped connection; a refused key or a bad request is
/// neither retried nor held against the connection.
/// </summary>
public sealed class ProviderResilienceOptions
{
    /// <summary>Retries of a call that failed transiently before its first token (0: none).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first retry's delay; each later one doubles it, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait before a retry. A provider that asks for a longer wait (<c>Retry-After</c>) is not retried: the
    /// step fails over to its next model, or fails.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The share of failed calls, within <see cref="SamplingDuration"/>, that opens the breaker.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>
    /// Calls the breaker must have seen within <see cref="SamplingDuration"/> before it may open: with the default ratio,
    /// this many consecutive failures open it.
    /// </summary>
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>The window the breaker judges the failure ratio over.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker refuses calls before it lets one through to test the provider.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
