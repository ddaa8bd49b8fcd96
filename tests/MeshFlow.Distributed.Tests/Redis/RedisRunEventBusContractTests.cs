using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;
using MeshFlow.Tests.Runtime.Contract;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>The run event bus contract against Redis: publisher and readers on multiplexers of their own.</summary>
public sealed class RedisRunEventBusContractTests(RedisFixture redis) : RunEventBusContractTests
{
    private readonly string _prefix = RedisTestOptions.NewPrefix();
    private readonly RedisConnections _connections = new();

    protected override Task<IRunEventBus> CreateBusAsync() => ConnectAnotherAsync();

    protected override async Task<IRunEventBus> ConnectAnotherAsync() =>
        new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), keyPrefix: _prefix);

    public override async ValueTask DisposeAsync()
    {
        await _connections.DisposeAsync();
        await base.DisposeAsync();
    }
}
