using System.Text.Json;
using MeshFlow.ServiceDefaults.Health;
using MeshFlow.ServiceDefaults.Startup;
using MeshFlow.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every MeshFlow service shares: OpenTelemetry, health checks, service discovery and resilience.
/// </summary>
/// <remarks>
/// Shaped like the Aspire ServiceDefaults template, with one difference: <c>/alive</c> (and the service's own
/// <c>/health</c>) are mapped in every environment, because <c>/health</c> is part of MeshFlow's public surface.
/// </remarks>
public static class Extensions
{
    /// <summary>The liveness endpoint: answers while the process can serve requests.</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>The health endpoint each service maps with <see cref="MapServiceHealth"/>.</summary>
    public const string HealthEndpointPath = "/health";

    private const string LiveTag = "live";

    // The engine's ActivitySource and Meter are both named "MeshFlow"; they are registered by name because
    // the hosts deliberately do not reference the engine here.
    private const string MeshFlowTelemetryName = "MeshFlow";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        // MeshFlow's HTTP JSON is snake_case everywhere (run_id, uptime_s, ...), in every service.
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ServiceUptime>();
        builder.Services.TryAddSingleton<ServiceHealthReporter>();

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MeshFlowTelemetryName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(MeshFlowTelemetryName)
                .AddProcessor(services => new RegisteredSpanProcessors(services))
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Probes arrive every few seconds; tracing them would drown the real traffic.
                    aspNetCore.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        builder.AddOpenTelemetryExporters();

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/alive</c> (live-tagged checks only). <c>/health</c> is left to the service, which maps
    /// MeshFlow's JSON health body with <see cref="MapServiceHealth"/>.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });

        return app;
    }

    /// <summary>
    /// Maps <c>GET {pattern}</c> to MeshFlow's health body
    /// <c>{"ok", "db", "redis", "version", "uptime_s"}</c>: 200 when the health checks pass, 503 otherwise.
    /// </summary>
    public static RouteHandlerBuilder MapServiceHealth(this IEndpointRouteBuilder endpoints, string pattern = HealthEndpointPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Resolved now so the uptime clock starts when the app is built, not at the first probe.
        _ = endpoints.ServiceProvider.GetRequiredService<ServiceUptime>();

        return endpoints.MapGet(pattern, ServiceHealthEndpoint.GetHealthAsync)
            .Produces<ServiceHealthResponse>(StatusCodes.Status503ServiceUnavailable);
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The standard variables (set by the AppHost) carry endpoint, protocol and headers together.
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        else if (builder.Configuration["MESHFLOW_OTLP_ENDPOINT"] is { Length: > 0 } meshFlowEndpoint)
        {
            if (!Uri.TryCreate(meshFlowEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            {
                // The value is quoted unless it carries credentials (user:password@host).
                throw new MeshFlowConfigurationException(
                    "MESHFLOW_OTLP_ENDPOINT must be an absolute http:// or https:// URL of an OTLP collector (such as http://localhost:4317)" +
                    (meshFlowEndpoint.Contains('@', StringComparison.Ordinal) ? "." : $", but was '{meshFlowEndpoint}'."));
            }

            var protocol = builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf"
                ? OtlpExportProtocol.HttpProtobuf
                : OtlpExportProtocol.Grpc;
            builder.Services.AddOpenTelemetry().UseOtlpExporter(protocol, endpoint);
        }

        return builder;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);
}
