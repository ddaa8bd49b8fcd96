namespace MeshFlow.Approvals;

/// <summary>One delivery attempt of an outbox message and its outcome.</summary>
public sealed record WebhookAttempt
{
    /// <summary>The message attempted.</summary>
    public required string MessageId { get; init; }

    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The run the message is about.</summary>
    public required string RunId { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public required int Attempt { get; init; }

    /// <summary>When the attempt started.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The HTTP status answered, or null when none was (timeout, refused address, network error).</summary>
    public int? StatusCode { get; init; }

    /// <summary>What happened (<see cref="WebhookOutcomes"/>).</summary>
    public required string Outcome { get; init; }

    /// <summary>A short description of a failure (never a secret, never the body).</summary>
    public string? Error { get; init; }

    /// <summary>How long the attempt took.</summary>
    public double DurationMs { get; init; }
}
