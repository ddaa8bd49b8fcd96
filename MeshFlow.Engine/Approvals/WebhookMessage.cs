namespace MeshFlow.Approvals;

/// <summary>A notification in the outbox: sent until a 2xx answer, its deadline, or its endpoint is disabled.</summary>
public sealed record WebhookMessage
{
    /// <summary>The message id (<c>msg_…</c>), the same on every attempt: a receiver deduplicates on it (<c>webhook-id</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant whose secret signs it.</summary>
    public required string TenantId { get; init; }

    /// <summary>The run it is about.</summary>
    public required string RunId { get; init; }

    /// <summary>The event type (<c>hitl.pause</c>, <c>hitl.resolved</c>, <c>hitl.escalated</c>).</summary>
    public required string Type { get; init; }

    /// <summary>The destination.</summary>
    public required string Url { get; init; }

    /// <summary>The JSON body, exactly as signed and sent.</summary>
    public required string Body { get; init; }

    /// <summary>When it was put in the outbox.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the next attempt is due.</summary>
    public required DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>After this, no attempt is made (the pause's deadline for a pause notification).</summary>
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>Attempts made so far.</summary>
    public int Attempts { get; init; }

    /// <summary><see cref="WebhookMessageState"/>.</summary>
    public string State { get; init; } = WebhookMessageState.Pending;
}
