using MeshFlow.Api.Security;
using MeshFlow.Approvals;
using MeshFlow.Hosting;
using MeshFlow.Observability.Metrics;
using MeshFlow.Runtime;
using OpenTelemetry.Metrics;

namespace MeshFlow.Api.Metrics;

/// <summary>
/// <c>GET /metrics</c>: the Prometheus text of every MeshFlow instrument (and ASP.NET Core's, the HTTP client's and
/// the runtime's), aggregated over every tenant, so it needs an admin key unless <c>MESHFLOW_METRICS_PUBLIC=true</c>.
/// </summary>
public static class MetricsEndpoints
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    /// <summary>Adds the Prometheus exporter to the API's metrics and the shared-state gauges it serves.</summary>
    public static WebApplicationBuilder AddMeshFlowApiMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = MetricsSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddMeshFlowMetrics();
        // The exporter's own response cache is off: the shared-state gauges have theirs, and counters read fresh.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.Services.AddSingleton(provider => new SharedStateGauges(
            provider.GetRequiredService<MeshFlowMetrics>(), provider.GetRequiredService<ApprovalDesk>().Store, provider.GetRequiredService<IRunQueue>(),
            settings.GaugeCache, provider.GetService<TimeProvider>(), provider.GetRequiredService<ILogger<SharedStateGauges>>()));
        return builder;
    }

    /// <summary>Maps <see cref="Path"/>.</summary>
    public static IEndpointConventionBuilder MapMetricsEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var gauges = app.Services.GetRequiredService<SharedStateGauges>();
        var endpoint = app.MapPrometheusScrapingEndpoint(Path, meterProvider: null,
            configureBranchedPipeline: branch => branch.Use(async (context, next) =>
            {
                await gauges.RefreshAsync(context.RequestAborted).ConfigureAwait(false);
                await next(context).ConfigureAwait(false);
            }),
            optionsName: null)
            .WithDisplayName("GET /metrics");
        return app.Services.GetRequiredService<MetricsSettings>().Public
            ? endpoint.AllowAnonymous()
            : endpoint.RequireAuthorization(MeshFlowClaims.AdminPolicy);
    }
}
