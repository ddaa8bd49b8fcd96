using MeshFlow.Distributed.Metrics;
using MeshFlow.Hosting;
using MeshFlow.Observability.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Hosting;

/// <summary>Registers the two ends of the metric relay (after <c>AddMeshFlowRedisRuntime</c>, which adds the Redis connection).</summary>
public static class MeshFlowMetricRelayServiceCollectionExtensions
{
    /// <summary>
    /// A worker's end: the engine, the ledger and the webhook dispatcher report to a <see cref="RedisMetricRelay"/>,
    /// which records into this process's <see cref="MeshFlowMetrics"/> and relays each measurement to the API instances.
    /// </summary>
    public static IServiceCollection AddMeshFlowMetricRelay(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMeshFlowMetrics();
        services.TryAddSingleton(new MetricRelayOptions());
        services.TryAddSingleton(provider => new RedisMetricRelay(
            provider.GetRequiredService<IConnectionMultiplexer>(), provider.GetRequiredService<MeshFlowMetrics>(),
            provider.GetRequiredService<MetricRelayOptions>(), provider.GetService<TimeProvider>(), provider.GetService<ILogger<RedisMetricRelay>>()));
        services.Replace(ServiceDescriptor.Singleton<IMeshFlowMetrics>(provider => provider.GetRequiredService<RedisMetricRelay>()));
        services.AddHostedService(provider => provider.GetRequiredService<RedisMetricRelay>());
        return services;
    }

    /// <summary>An API instance's end: records every worker's relayed measurements into this process's <see cref="MeshFlowMetrics"/>.</summary>
    public static IServiceCollection AddMeshFlowMetricSubscriber(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMeshFlowMetrics();
        services.TryAddSingleton(new MetricRelayOptions());
        services.AddHostedService(provider => new RedisMetricSubscriber(
            provider.GetRequiredService<IConnectionMultiplexer>(), provider.GetRequiredService<MeshFlowMetrics>(),
            provider.GetRequiredService<MetricRelayOptions>(), provider.GetService<ILogger<RedisMetricSubscriber>>()));
        return services;
    }
}
