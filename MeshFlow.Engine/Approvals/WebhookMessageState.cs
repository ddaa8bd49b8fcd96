namespace MeshFlow.Approvals;

/// <summary>Where an outbox message stands, as stored.</summary>
public static class WebhookMessageState
{
    /// <summary>Not yet delivered; attempted again when due.</summary>
    public const string Pending = "pending";

    /// <summary>A 2xx answer was received.</summary>
    public const string Delivered = "delivered";

    /// <summary>Given up: the deadline passed, or the endpoint answered 410 or was disabled.</summary>
    public const string Failed = "failed";
}
