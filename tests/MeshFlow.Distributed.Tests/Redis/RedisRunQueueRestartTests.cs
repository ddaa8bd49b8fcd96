using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Testing.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>A Redis server that restarts empty, on a server of the test's own.</summary>
public sealed class RedisRunQueueRestartTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_the_server_restarts_empty_no_run_is_held_and_the_queue_works_again()
    {
        await using var server = await RedisServer.StartAsync(Token);
        await using var connections = new RedisConnections();
        var options = RedisTestOptions.FastQueue();
        await using var queue = new RedisRunQueue(await connections.ConnectAsync(server.ConnectionString), options);
        var before = RedisRunQueueTests.NewRequest();
        await queue.EnqueueAsync(before, Token);
        var delivered = Assert.Single(await RedisRunQueueTests.ReadUntilAsync(queue, "worker-1"));
        Assert.True(await queue.HoldsAsync("acme", before.RunId, Token));

        await server.RestartAsync(Token);

        // The reconciler relies on this: a run the restarted queue lost is not held, so it is queued again.
        Assert.False(await Eventually.SucceedsAsync(() => queue.HoldsAsync("acme", before.RunId, Token)));

        // The stream and its consumer group are created again on first use.
        var after = RedisRunQueueTests.NewRequest();
        await Eventually.SucceedsAsync(() => queue.EnqueueAsync(after, Token));
        var run = Assert.Single(await RedisRunQueueTests.ReadUntilAsync(queue, "worker-1"));
        Assert.Equal(after, run.Request);
        Assert.Equal(1, run.DeliveryCount);

        // Acknowledging a delivery from before the restart is harmless.
        await queue.AcknowledgeAsync(delivered, Token);
        await queue.AcknowledgeAsync(run, Token);
        Assert.False(await queue.HoldsAsync("acme", after.RunId, Token));

        // Leases work again too.
        var lease = await queue.TryLeaseAsync("acme", after.RunId, "worker-1", Token);
        Assert.NotNull(lease);
        await lease.DisposeAsync();
    }
}
