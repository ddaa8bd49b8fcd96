namespace MeshFlow.Api.Security;

/// <summary>The configuration names (environment variables) the API's security reads, and their defaults.</summary>
public static class ApiSecurityConfiguration
{
    /// <summary>Comma-separated entries <c>&lt;key&gt;[:&lt;tenant&gt;[:&lt;role&gt;]]</c>, e.g. <c>k1:acme:admin,k2:globex,k3</c>.</summary>
    public const string ApiKeys = "MESHFLOW_API_KEYS";

    /// <summary>A file with one <see cref="ApiKeys"/> entry per line; blank lines and <c>#</c> comments are ignored.</summary>
    public const string ApiKeysFile = "MESHFLOW_API_KEYS_FILE";

    /// <summary>The tenant of keys that name none, and of the generated key.</summary>
    public const string DefaultTenant = "MESHFLOW_DEFAULT_TENANT";

    /// <summary>Requests each key (or, unauthenticated, each client address) may make per window; 0 turns rate limiting off.</summary>
    public const string RateLimit = "MESHFLOW_RATE_LIMIT";

    /// <summary>The length of the rate-limit window, in seconds.</summary>
    public const string RateLimitWindowSeconds = "MESHFLOW_RATE_LIMIT_WINDOW_SECONDS";

    /// <summary>The largest request body accepted, in bytes.</summary>
    public const string MaxRequestBytes = "MESHFLOW_MAX_REQUEST_BYTES";

    /// <summary>Comma-separated origins allowed to call the API from a browser, or <c>*</c>; unset means no CORS.</summary>
    public const string CorsOrigins = "MESHFLOW_CORS_ORIGINS";

    public const string DefaultTenantValue = "default";

    public const int DefaultRateLimit = 600;

    public const int DefaultRateLimitWindowSeconds = 60;

    public const long DefaultMaxRequestBytes = 1024 * 1024;
}
