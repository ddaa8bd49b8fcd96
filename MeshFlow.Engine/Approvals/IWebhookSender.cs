namespace MeshFlow.Approvals;

/// <summary>Makes one signed delivery attempt of an outbox message and says how it went.</summary>
public interface IWebhookSender
{
    /// <summary>
    /// Sends <paramref name="message"/> once (attempt number <paramref name="attempt"/>), signed with the tenant's
    /// secrets, to an address the rules allow, following no redirect, within the attempt timeout. Never throws for
    /// the receiver's failures: they are the attempt's outcome.
    /// </summary>
    Task<WebhookSendResult> SendAsync(WebhookMessage message, int attempt, CancellationToken cancellationToken = default);
}
