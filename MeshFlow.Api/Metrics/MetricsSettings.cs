using System.Globalization;
using MeshFlow.ServiceDefaults.Startup;

namespace MeshFlow.Api.Metrics;

/// <summary>How <c>/metrics</c> is served, from configuration.</summary>
public sealed record MetricsSettings(bool Public, TimeSpan GaugeCache)
{
    /// <summary>Set to <c>true</c> to serve <c>/metrics</c> without an API key (a scraper on a private network).</summary>
    public const string PublicKey = "MESHFLOW_METRICS_PUBLIC";

    /// <summary>How long, in milliseconds, the shared-state gauges' last read stands (default 2000; 0 reads on every scrape).</summary>
    public const string GaugeCacheKey = "MESHFLOW_METRICS_GAUGE_CACHE_MS";

    /// <summary>The default <see cref="GaugeCache"/>.</summary>
    public static readonly TimeSpan DefaultGaugeCache = TimeSpan.FromSeconds(2);

    /// <summary>Reads the settings; a value that is not one names its key.</summary>
    /// <exception cref="MeshFlowConfigurationException">A setting is malformed.</exception>
    public static MetricsSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var open = configuration[PublicKey] is { Length: > 0 } text
            ? bool.TryParse(text.Trim(), out var value) ? value : throw new MeshFlowConfigurationException($"{PublicKey} must be true or false, not '{text}'")
            : false;
        var cache = DefaultGaugeCache;
        if (configuration[GaugeCacheKey] is { Length: > 0 } ms)
        {
            cache = int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
                ? TimeSpan.FromMilliseconds(milliseconds)
                : throw new MeshFlowConfigurationException($"{GaugeCacheKey} must be a whole number of milliseconds (0 or more), not '{ms}'");
        }

        return new MetricsSettings(open, cache);
    }
}
