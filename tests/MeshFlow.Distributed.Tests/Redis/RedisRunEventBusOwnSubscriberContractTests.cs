using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;
using MeshFlow.Tests.Runtime.Contract;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>
/// The run event bus contract against Redis with both connections of the bus's own up: readers subscribe on the
/// subscriber's (an api's), publishers write on the publisher's (a worker's).
/// </summary>
public sealed class RedisRunEventBusOwnSubscriberContractTests(RedisFixture redis) : RunEventBusContractTests
{
    private readonly string _prefix = RedisTestOptions.NewPrefix();
    private readonly RedisConnections _connections = new();
    private readonly List<RedisRunEventBus> _buses = [];

    // The readers' bus (an api's).
    protected override async Task<IRunEventBus> CreateBusAsync()
    {
        var bus = new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), keyPrefix: _prefix, ownSubscribeConnection: true);
        _buses.Add(bus);
        await SubscriberUpAsync(bus);
        return bus;
    }

    // The publisher's bus (a worker's).
    protected override async Task<IRunEventBus> ConnectAnotherAsync()
    {
        var bus = new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), keyPrefix: _prefix, ownPublishConnection: true);
        _buses.Add(bus);
        await RedisRunEventBusOwnConnectionContractTests.UpAsync(bus);
        return bus;
    }

    public override async ValueTask DisposeAsync()
    {
        _buses.ForEach(bus => bus.Dispose());
        await _connections.DisposeAsync();
        await base.DisposeAsync();
    }

    // The connection is made on the first follower's subscription; this one follows a run of its own until it is up.
    internal static async Task SubscriberUpAsync(RedisRunEventBus bus)
    {
        using var stop = new CancellationTokenSource();
        var warmUp = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in bus.ReadAsync("warm-up", Guid.NewGuid().ToString("N"), 0, follow: true, stop.Token))
                {
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (!bus.SubscribesOnOwnConnection)
        {
            await Task.Delay(20, timeout.Token);
        }

        await stop.CancelAsync();
        await warmUp;
    }
}
