namespace MeshFlow.Approvals.Webhooks;

/// <summary>How the webhook dispatcher takes messages from the outbox.</summary>
public sealed class WebhookDispatcherOptions
{
    /// <summary>How many due messages one pass claims (default 32).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>How many attempts are in flight at once (default 16), so a hanging receiver holds one slot, not the pass.</summary>
    public int MaxConcurrentSends { get; set; } = 16;

    /// <summary>
    /// How long a claim keeps other dispatchers off a message (default 5 minutes): longer than a pass takes, so a
    /// message is not sent twice, and short enough that a dispatcher that died releases its messages soon.
    /// </summary>
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the loop waits between passes that found less than a full batch (default 5 seconds, the first retry's delay).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
