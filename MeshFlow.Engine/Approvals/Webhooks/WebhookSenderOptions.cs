namespace MeshFlow.Approvals.Webhooks;

/// <summary>How the webhook sender makes an attempt.</summary>
public sealed class WebhookSenderOptions
{
    /// <summary>How long one attempt may take, connecting included, before it counts as a timeout (default 15 s, the low end of what Standard Webhooks recommends).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a pooled connection is reused before the host is resolved (and its address checked) again (default one minute).</summary>
    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromMinutes(1);
}
