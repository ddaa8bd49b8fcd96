namespace MeshFlow.Approvals;

/// <summary>One attempt's outcome and, when the receiver asked for it (429 or 503 with <c>Retry-After</c>), when to try again.</summary>
/// <param name="Attempt">The attempt as recorded.</param>
/// <param name="RetryAfter">The receiver's <c>Retry-After</c>, or null.</param>
public sealed record WebhookSendResult(WebhookAttempt Attempt, TimeSpan? RetryAfter);
