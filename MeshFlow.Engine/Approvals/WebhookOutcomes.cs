namespace MeshFlow.Approvals;

/// <summary>The outcomes of a delivery attempt, as stored and shown.</summary>
public static class WebhookOutcomes
{
    /// <summary>A 2xx answer.</summary>
    public const string Delivered = "delivered";

    /// <summary>A non-2xx answer that may succeed later (5xx, 4xx other than 410, 429).</summary>
    public const string HttpError = "http_error";

    /// <summary>A 3xx answer: redirects are never followed.</summary>
    public const string Redirect = "redirect";

    /// <summary>410 Gone: the endpoint is disabled for the tenant.</summary>
    public const string Gone = "gone";

    /// <summary>No answer within the attempt's timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The destination resolved to a loopback, private, link-local or metadata address.</summary>
    public const string RefusedAddress = "refused_address";

    /// <summary>The connection failed (DNS, refused, reset).</summary>
    public const string NetworkError = "network_error";

    /// <summary>No signing secret is configured for the tenant: nothing unsigned is ever sent.</summary>
    public const string NoSecret = "no_secret";

    /// <summary>The endpoint was disabled earlier (it answered 410).</summary>
    public const string Disabled = "disabled";

    /// <summary>The message's deadline passed before it could be delivered.</summary>
    public const string Expired = "expired";
}
