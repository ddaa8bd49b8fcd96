using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Events;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;
using MeshFlow.Tests.Runtime.Contract;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>
/// The run event bus contract against Redis with the publisher on a connection of its own (what a worker uses), made
/// and up before the contract's first event.
/// </summary>
public sealed class RedisRunEventBusOwnConnectionContractTests(RedisFixture redis) : RunEventBusContractTests
{
    private readonly string _prefix = RedisTestOptions.NewPrefix();
    private readonly RedisConnections _connections = new();
    private readonly List<RedisRunEventBus> _buses = [];

    // The readers' bus (an api's).
    protected override async Task<IRunEventBus> CreateBusAsync() =>
        new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), keyPrefix: _prefix);

    // The publisher's bus (a worker's).
    protected override async Task<IRunEventBus> ConnectAnotherAsync()
    {
        var bus = new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), keyPrefix: _prefix, ownPublishConnection: true);
        _buses.Add(bus);
        await UpAsync(bus);
        return bus;
    }

    public override async ValueTask DisposeAsync()
    {
        _buses.ForEach(bus => bus.Dispose());
        await _connections.DisposeAsync();
        await base.DisposeAsync();
    }

    // The connection is made on the first publication; this one goes to a run of its own.
    internal static async Task UpAsync(RedisRunEventBus bus)
    {
        await bus.PublishAsync("warm-up", Guid.NewGuid().ToString("N"), new RunEventEnvelope(1, MeshEventKinds.RunStart, "{}"));
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (!bus.PublishesOnOwnConnection)
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
