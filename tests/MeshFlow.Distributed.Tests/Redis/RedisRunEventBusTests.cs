using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Events;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>What the Redis event bus does beyond the shared contract: its keys, its recovery and its connections.</summary>
public sealed class RedisRunEventBusTests(RedisFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = RedisTestOptions.NewPrefix();
    private readonly RedisConnections _connections = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _connections.DisposeAsync();

    [Fact]
    public async Task Events_are_kept_in_the_runs_stream_with_its_retention_and_about_its_maximum_length()
    {
        var options = new RunEventBusOptions { Retention = TimeSpan.FromMinutes(5), MaxEventsPerRun = 10 };
        var bus = new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), options, _prefix);
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        var run = "run-" + Guid.NewGuid().ToString("N");
        for (var seq = 1; seq <= 999; seq++)
        {
            await bus.PublishAsync("acme", run, Delta(seq), Token);
        }

        await bus.PublishAsync("acme", run, new RunEventEnvelope(1000, MeshEventKinds.RunEnd, "{}"), Token);

        var key = $"{_prefix}:events:acme/{run}";
        var last = Assert.Single(await db.StreamRangeAsync(key, "-", "+", 1, Order.Descending));
        Assert.Equal("1000-0", last.Id.ToString());
        Assert.Equal(MeshEventKinds.RunEnd, last["kind"].ToString());
        Assert.InRange((await db.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromSeconds(1), options.Retention);

        // Trimmed approximately (whole stream nodes at a time): far fewer than were published are kept.
        Assert.InRange(await db.StreamLengthAsync(key), options.MaxEventsPerRun, 500);
        Assert.Equal(1000, await bus.LastSeqAsync("acme", run, Token));
    }

    [Fact]
    public async Task Follower_recovers_an_event_whose_live_message_was_lost()
    {
        var bus = new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), keyPrefix: _prefix);
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        var run = "run-" + Guid.NewGuid().ToString("N");
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.Default);
            var seen = new List<long>();
            await foreach (var evt in bus.ReadAsync("acme", run, 0, cancellationToken: timeout.Token))
            {
                seen.Add(evt.Seq);
                first.TrySetResult();
            }

            return seen;
        });

        await bus.PublishAsync("acme", run, Delta(1), Token);
        await first.Task.WaitAsync(TestTimeouts.Default);

        // Kept, but its relay message never sent: the follower finds it in the stream once the channel stays quiet.
        await db.StreamAddAsync($"{_prefix}:events:acme/{run}", [new("seq", 2), new("kind", MeshEventKinds.RunEnd), new("json", "{}")], "2-0");

        Assert.Equal([1L, 2L], await reading.WaitAsync(TestTimeouts.Default));
    }

    [Fact]
    public async Task Many_followers_share_the_one_subscriber_connection()
    {
        const int Followers = 100;
        var name = "readers-" + Guid.NewGuid().ToString("N");
        var readers = new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString, o => o.ClientName = name), keyPrefix: _prefix);
        var publisher = new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), keyPrefix: _prefix);
        var admin = await _connections.ConnectAsync(redis.ConnectionString, o => o.AllowAdmin = true);
        var runs = Enumerable.Range(0, Followers).Select(_ => "run-" + Guid.NewGuid().ToString("N")).ToList();

        var started = new CountdownEvent(Followers);
        var following = runs.Select(run => Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.Default);
            var seen = 0;
            await foreach (var evt in readers.ReadAsync("acme", run, 0, cancellationToken: timeout.Token))
            {
                if (++seen == 1)
                {
                    started.Signal();
                }
            }

            return seen;
        })).ToList();

        foreach (var run in runs)
        {
            await publisher.PublishAsync("acme", run, Delta(1), Token);
        }

        Assert.True(started.Wait(TestTimeouts.Default, Token));
        var clients = (await admin.GetServers()[0].ClientListAsync()).Count(client => client.Name == name);
        Assert.Equal(2, clients); // one interactive connection, one subscriber connection

        foreach (var run in runs)
        {
            await publisher.PublishAsync("acme", run, new RunEventEnvelope(2, MeshEventKinds.RunEnd, "{}"), Token);
        }

        Assert.All(await Task.WhenAll(following).WaitAsync(TestTimeouts.Default), seen => Assert.Equal(2, seen));
    }

    private static RunEventEnvelope Delta(long seq) => new(seq, MeshEventKinds.TokenDelta, """{"data":{"text":"x"}}""");
}
