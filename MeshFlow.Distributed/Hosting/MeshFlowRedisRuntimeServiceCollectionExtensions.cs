using MeshFlow.Distributed.Redis;
using MeshFlow.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Hosting;

/// <summary>Registers MeshFlow's Redis runtime (run queue, event bus, run signals) in a host's services.</summary>
public static class MeshFlowRedisRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Redis runtime over one shared connection:
    /// <list type="bullet">
    /// <item><see cref="IConnectionMultiplexer"/>: a singleton connected to <paramref name="connectionString"/> with
    /// <c>AbortOnConnectFail=false</c> (it keeps retrying rather than failing start-up), unless one is registered
    /// already (for example by Aspire's <c>AddRedisClient</c>), which is then used.</item>
    /// <item><see cref="RedisRunQueueOptions"/> and <see cref="RunEventBusOptions"/>: singletons, unless registered
    /// already (<paramref name="configureQueue"/> adjusts the queue options this call registers).</item>
    /// <item><see cref="RedisRunQueue"/>, <see cref="RedisRunEventBus"/> (publishing on a connection of its own, made on
    /// its first publication: see its constructor), <see cref="RedisRunSignals"/>: singletons,
    /// which are also what <see cref="IRunQueue"/>, <see cref="IRunEventBus"/> and <see cref="IRunSignals"/> resolve
    /// to: any earlier registration of those contracts (the in-process defaults) is replaced, and a later
    /// <c>TryAdd</c> of them leaves these in place.</item>
    /// </list>
    /// </summary>
    public static IServiceCollection AddMeshFlowRedisRuntime(
        this IServiceCollection services,
        string connectionString,
        Action<RedisRunQueueOptions>? configureQueue = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        services.TryAddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration));

        var queueOptions = new RedisRunQueueOptions();
        configureQueue?.Invoke(queueOptions);
        services.TryAddSingleton(queueOptions);
        services.TryAddSingleton(new RunEventBusOptions());

        services.TryAddSingleton(provider => new RedisRunQueue(
            provider.GetRequiredService<IConnectionMultiplexer>(),
            provider.GetRequiredService<RedisRunQueueOptions>(),
            provider.GetService<ILogger<RedisRunQueue>>()));
        services.TryAddSingleton(provider => new RedisRunEventBus(
            provider.GetRequiredService<IConnectionMultiplexer>(),
            provider.GetRequiredService<RunEventBusOptions>(),
            ownPublishConnection: true,
            logger: provider.GetService<ILogger<RedisRunEventBus>>(),
            ownSubscribeConnection: true));
        services.TryAddSingleton(provider => new RedisRunSignals(
            provider.GetRequiredService<IConnectionMultiplexer>(),
            logger: provider.GetService<ILogger<RedisRunSignals>>()));

        services.RemoveAll<IRunQueue>();
        services.RemoveAll<IRunEventBus>();
        services.RemoveAll<IRunSignals>();
        services.AddSingleton<IRunQueue>(provider => provider.GetRequiredService<RedisRunQueue>());
        services.AddSingleton<IRunEventBus>(provider => provider.GetRequiredService<RedisRunEventBus>());
        services.AddSingleton<IRunSignals>(provider => provider.GetRequiredService<RedisRunSignals>());
        return services;
    }
}
