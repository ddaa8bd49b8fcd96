using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Testing.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>What the Redis run signals do beyond the shared contract: their keys and their one subscription.</summary>
public sealed class RedisRunSignalsTests(RedisFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = RedisTestOptions.NewPrefix();
    private readonly RedisConnections _connections = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _connections.DisposeAsync();

    [Fact]
    public async Task Requests_are_kept_for_a_day_and_every_run_shares_one_subscription()
    {
        await using var signals = new RedisRunSignals(await _connections.ConnectAsync(redis.ConnectionString), _prefix);
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        var subscriptions = new List<IAsyncDisposable>();
        for (var i = 0; i < 50; i++)
        {
            subscriptions.Add(await signals.SubscribeAsync("acme", "run-" + i, () => { }, Token));
        }

        var subscribers = await db.ExecuteAsync("PUBSUB", "NUMSUB", _prefix + ":cancel");
        Assert.Equal(1, (long)((StackExchange.Redis.RedisResult[])subscribers!)![1]);
        Assert.Empty((StackExchange.Redis.RedisResult[])(await db.ExecuteAsync("PUBSUB", "CHANNELS", _prefix + ":cancel:*"))!);

        await signals.RequestCancelAsync("acme", "run-7", Token);
        var lifetime = await db.KeyTimeToLiveAsync(_prefix + ":cancel:acme/run-7");
        Assert.InRange(lifetime!.Value, TimeSpan.FromHours(23), TimeSpan.FromDays(1));

        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }
}
