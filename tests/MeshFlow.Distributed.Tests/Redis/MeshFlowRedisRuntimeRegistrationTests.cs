using MeshFlow.Distributed.Hosting;
using MeshFlow.Distributed.Redis;
using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Testing.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary><c>AddMeshFlowRedisRuntime</c>: the Redis runtime wins over the in-process defaults, whenever they are added.</summary>
public sealed class MeshFlowRedisRuntimeRegistrationTests(RedisFixture redis)
{
    [Fact]
    public async Task Redis_runtime_replaces_the_in_process_defaults_and_shares_one_connection()
    {
        var prefix = RedisTestOptions.NewPrefix();
        var services = new ServiceCollection();
        services.TryAddSingleton<IRunQueue, InProcessRunQueue>();
        services.TryAddSingleton<IRunEventBus, InProcessRunEventBus>();

        services.AddMeshFlowRedisRuntime(redis.ConnectionString, options => options.KeyPrefix = prefix);

        // Defaults added later with TryAdd leave the Redis runtime in place.
        services.TryAddSingleton<IRunQueue, InProcessRunQueue>();
        services.TryAddSingleton<IRunSignals, InProcessRunSignals>();

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var queue = Assert.IsType<RedisRunQueue>(provider.GetRequiredService<IRunQueue>());
        Assert.Same(provider.GetRequiredService<RedisRunQueue>(), queue);
        Assert.IsType<RedisRunEventBus>(provider.GetRequiredService<IRunEventBus>());
        Assert.IsType<RedisRunSignals>(provider.GetRequiredService<IRunSignals>());
        Assert.Single(provider.GetServices<IRunQueue>());
        Assert.Equal(prefix, provider.GetRequiredService<RedisRunQueueOptions>().KeyPrefix);

        var request = new RunRequest { TenantId = "acme", RunId = "run-" + Guid.NewGuid().ToString("N"), Definition = "name: di", Input = "x" };
        await queue.EnqueueAsync(request, TestContext.Current.CancellationToken);
        Assert.True(await provider.GetRequiredService<IRunQueue>().HoldsAsync("acme", request.RunId, TestContext.Current.CancellationToken));

        var connection = provider.GetRequiredService<IConnectionMultiplexer>();
        Assert.True(await connection.GetDatabase().KeyExistsAsync(prefix + ":runs"));
    }
}
