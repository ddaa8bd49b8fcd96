namespace MeshFlow.Approvals.Webhooks;

/// <summary>The headers every webhook request carries (Standard Webhooks 1.0, plus MeshFlow's own copy of the signature).</summary>
public static class WebhookHeaders
{
    /// <summary>The message id, the same on every attempt: a receiver deduplicates on it.</summary>
    public const string Id = "webhook-id";

    /// <summary>When the attempt was signed, in unix seconds.</summary>
    public const string Timestamp = "webhook-timestamp";

    /// <summary>Space-separated <c>v1,&lt;base64&gt;</c> signatures, one per secret in force.</summary>
    public const string Signature = "webhook-signature";

    /// <summary>The same value as <see cref="Signature"/>, for receivers that look for a vendor header.</summary>
    public const string MeshFlowSignature = "X-MeshFlow-Signature";

    /// <summary>The <c>User-Agent</c> webhook requests are sent with.</summary>
    public const string UserAgent = "MeshFlow-Webhooks/1";
}
