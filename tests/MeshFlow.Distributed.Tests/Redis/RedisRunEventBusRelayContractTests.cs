using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;
using MeshFlow.Tests.Runtime.Contract;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>The run event bus contract again, with followers hearing live events through the relay subscriber (as the API does).</summary>
public sealed class RedisRunEventBusRelayContractTests(RedisFixture redis) : RunEventBusContractTests
{
    private readonly string _prefix = RedisTestOptions.NewPrefix();
    private readonly RedisConnections _connections = new();
    private readonly List<RedisRelaySubscriber> _relays = [];

    protected override Task<IRunEventBus> CreateBusAsync() => ConnectAnotherAsync();

    protected override async Task<IRunEventBus> ConnectAnotherAsync()
    {
        var relay = new RedisRelaySubscriber(ConfigurationOptions.Parse(redis.ConnectionString));
        _relays.Add(relay);
        return new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), relay, keyPrefix: _prefix);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var relay in _relays)
        {
            await relay.DisposeAsync();
        }

        await _connections.DisposeAsync();
        await base.DisposeAsync();
    }
}
