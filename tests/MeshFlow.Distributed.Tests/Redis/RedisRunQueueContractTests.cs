using System.Text.Json;
using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;
using MeshFlow.Tests.Runtime.Contract;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>
/// The run queue contract against Redis: keys of its own per test, each "process" with its own multiplexer, and
/// short claim and lease times so a stopped (disposed) queue's entries and leases lapse within seconds.
/// </summary>
public sealed class RedisRunQueueContractTests(RedisFixture redis) : RunQueueContractTests
{
    private readonly RedisRunQueueOptions _options = RedisTestOptions.FastQueue();
    private readonly RedisConnections _connections = new();
    private readonly List<RedisRunQueue> _queues = [];

    protected override TimeSpan RenewedPeriod => 2 * (_options.ClaimIdleTime > _options.LeaseTime ? _options.ClaimIdleTime : _options.LeaseTime);

    protected override Task<IRunQueue> CreateQueueAsync() => ConnectAnotherAsync();

    protected override async Task<IRunQueue> ConnectAnotherAsync()
    {
        var queue = new RedisRunQueue(await _connections.ConnectAsync(redis.ConnectionString), _options);
        _queues.Add(queue);
        return queue;
    }

    protected override ValueTask StopAsync(IRunQueue handle) => ((RedisRunQueue)handle).DisposeAsync();

    protected override async Task<IReadOnlyList<(RunRequest Request, string Reason)>> DeadLettersAsync()
    {
        var connection = await _connections.ConnectAsync(redis.ConnectionString);
        var entries = await connection.GetDatabase().StreamRangeAsync(_options.KeyPrefix + ":runs:dead");
        return [.. entries.Select(entry => (JsonSerializer.Deserialize<RunRequest>(entry["request"].ToString())!, entry["reason"].ToString()))];
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            await queue.DisposeAsync();
        }

        await _connections.DisposeAsync();
        await base.DisposeAsync();
    }
}
