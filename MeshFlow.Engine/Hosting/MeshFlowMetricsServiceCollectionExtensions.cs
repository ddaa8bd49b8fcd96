using System.Diagnostics.Metrics;
using MeshFlow.Observability.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshFlow.Hosting;

/// <summary>Registers the metrics the engine reports to.</summary>
public static class MeshFlowMetricsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="MeshFlowMetrics"/> on a meter from the host's <see cref="IMeterFactory"/>, as the
    /// <see cref="IMeshFlowMetrics"/> the engine, the ledger and the webhook dispatcher report to. A host that relays its
    /// measurements elsewhere registers its own <see cref="IMeshFlowMetrics"/> first.
    /// </summary>
    public static IServiceCollection AddMeshFlowMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider => new MeshFlowMetrics(
            provider.GetService<IMeterFactory>(), provider.GetService<MeshFlowMetricsOptions>(), provider.GetService<TimeProvider>()));
        services.TryAddSingleton<IMeshFlowMetrics>(provider => provider.GetRequiredService<MeshFlowMetrics>());
        return services;
    }
}
