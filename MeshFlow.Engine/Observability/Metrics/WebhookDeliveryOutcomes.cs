namespace MeshFlow.Observability.Metrics;

/// <summary>What became of a webhook delivery attempt, as counted by <c>meshflow_webhook_deliveries_total</c>.</summary>
public static class WebhookDeliveryOutcomes
{
    /// <summary>The receiver accepted the message.</summary>
    public const string Delivered = "delivered";

    /// <summary>The attempt failed and another is scheduled.</summary>
    public const string Retried = "retried";

    /// <summary>The message was given up (expired, its endpoint gone or disabled).</summary>
    public const string Failed = "failed";
}
