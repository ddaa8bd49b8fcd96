using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace MeshFlow.ServiceDefaults.Health;

/// <summary>Builds the <see cref="ServiceHealthResponse"/> from the health checks, configuration and uptime.</summary>
public sealed class ServiceHealthReporter(
    HealthCheckService healthChecks,
    IConfiguration configuration,
    IHostEnvironment environment,
    ServiceUptime uptime)
{
    private const string Configured = "configured";

    private readonly string _version = ReadVersion(environment.ApplicationName);

    public async Task<ServiceHealthResponse> GetAsync(CancellationToken cancellationToken)
    {
        var report = await healthChecks.CheckHealthAsync(cancellationToken).ConfigureAwait(false);

        // Without connection strings a service runs embedded: SQLite ledger, in-process queue and event bus.
        return new ServiceHealthResponse(
            Ok: report.Status != HealthStatus.Unhealthy,
            Db: IsConfigured("ledger") ? Configured : "embedded",
            Redis: IsConfigured("redis") ? Configured : "in-process",
            Version: _version,
            UptimeS: Math.Round(uptime.Elapsed.TotalSeconds, 3));
    }

    private bool IsConfigured(string connectionName) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString(connectionName));

    private static string ReadVersion(string applicationName)
    {
        // The service's own assembly, not this shared library's.
        var assembly = AppDomain.CurrentDomain.GetAssemblies()
            .FirstOrDefault(candidate => candidate.GetName().Name == applicationName)
            ?? Assembly.GetEntryAssembly();

        return assembly?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly?.GetName().Version?.ToString()
            ?? "unknown";
    }
}
