using System.Globalization;
using MeshFlow.ServiceDefaults.Startup;

namespace MeshFlow.Api.Security;

/// <summary>The API's security settings, read from configuration (see <see cref="ApiSecurityConfiguration"/>) at start-up.</summary>
public sealed record ApiSecurityOptions
{
    public required string DefaultTenant { get; init; }

    /// <summary>Requests per <see cref="RateLimitWindow"/> for each key; 0 means no rate limiting.</summary>
    public required int RateLimit { get; init; }

    public required TimeSpan RateLimitWindow { get; init; }

    public required long MaxRequestBytes { get; init; }

    /// <summary>Allowed browser origins: empty for no CORS, <c>["*"]</c> for any origin.</summary>
    public required IReadOnlyList<string> CorsOrigins { get; init; }

    /// <summary>Reads and checks the settings.</summary>
    /// <exception cref="MeshFlowConfigurationException">A setting is malformed; the message names it.</exception>
    public static ApiSecurityOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        var defaultTenant = configuration[ApiSecurityConfiguration.DefaultTenant] is { Length: > 0 } configured
            ? configured.Trim()
            : ApiSecurityConfiguration.DefaultTenantValue;
        if (!TenantIds.IsValid(defaultTenant))
        {
            throw new MeshFlowConfigurationException(
                $"{ApiSecurityConfiguration.DefaultTenant} '{defaultTenant}' is not a valid tenant id: use letters, digits, '-', '_' and '.', at most {TenantIds.MaxLength}.");
        }

        return new ApiSecurityOptions
        {
            DefaultTenant = defaultTenant,
            RateLimit = (int)ReadNumber(configuration, ApiSecurityConfiguration.RateLimit, ApiSecurityConfiguration.DefaultRateLimit, minimum: 0, maximum: int.MaxValue),
            RateLimitWindow = TimeSpan.FromSeconds(ReadNumber(
                configuration, ApiSecurityConfiguration.RateLimitWindowSeconds, ApiSecurityConfiguration.DefaultRateLimitWindowSeconds, minimum: 1, maximum: 86_400)),
            MaxRequestBytes = ReadNumber(configuration, ApiSecurityConfiguration.MaxRequestBytes, ApiSecurityConfiguration.DefaultMaxRequestBytes, minimum: 1, maximum: long.MaxValue),
            CorsOrigins = ReadOrigins(configuration[ApiSecurityConfiguration.CorsOrigins]),
        };
    }

    private static long ReadNumber(IConfiguration configuration, string key, long defaultValue, long minimum, long maximum)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw new MeshFlowConfigurationException($"{key} must be a whole number from {minimum} to {maximum}, but was '{text}'.");
    }

    private static string[] ReadOrigins(string? text)
    {
        var entries = (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries is ["*"])
        {
            return entries;
        }

        var origins = new string[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            // An origin is scheme://host[:port], exactly as a browser sends it in the Origin header.
            if (!Uri.TryCreate(entries[i], UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https")
                || uri.PathAndQuery != "/" || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            {
                throw new MeshFlowConfigurationException(
                    $"{ApiSecurityConfiguration.CorsOrigins} entry {i + 1} ('{entries[i]}') is not an origin such as https://app.example.com, and '*' must stand alone.");
            }

            origins[i] = uri.GetLeftPart(UriPartial.Authority);
        }

        return origins;
    }
}
