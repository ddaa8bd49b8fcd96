using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Events;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>
/// The event bus's own subscribing connection (an api's): followers get every event once and in order from it, a lost
/// connection makes them subscribe again without losing an event, and a server that refuses it leaves the multiplexer
/// relaying.
/// </summary>
public sealed class RedisEventSubscriberTests(RedisFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = RedisTestOptions.NewPrefix();

    // The multiplexers' client name, and so the own connection's ("<name>-subscriber"): one per test, as tests run in parallel.
    private readonly string _name = "test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly RedisConnections _connections = new();
    private readonly List<RedisRunEventBus> _buses = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _buses.ForEach(bus => bus.Dispose());
        await _connections.DisposeAsync();
    }

    [Fact]
    public async Task A_follower_gets_every_event_once_in_order_from_the_own_connection()
    {
        var reader = await UpReaderAsync(redis.ConnectionString);
        var writer = await WriterAsync(redis.ConnectionString);
        var run = NewRun();
        await using var following = await FollowAsync(reader, run);
        var reading = following.Reading;

        // The first event may come from the kept events the reader reads once subscribed; once it is read, that read
        // is over, and every later event comes over the subscriber's connection.
        await writer.PublishAsync("acme", run, Delta(1), Token);
        Assert.True(await following.First);
        var events = new List<RunEventEnvelope> { reading.Current };
        for (var seq = 2; seq <= 300; seq++)
        {
            await writer.PublishAsync("acme", run, Delta(seq), Token);
        }

        await writer.PublishAsync("acme", run, new RunEventEnvelope(301, MeshEventKinds.RunEnd, """{"kind":"run_end","text":"naïve ✓"}"""), Token);
        while (await reading.MoveNextAsync())
        {
            events.Add(reading.Current);
        }

        Assert.Equal(Enumerable.Range(1, 301).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(Delta(7), events[6]);
        Assert.All(events.Skip(1), e => Assert.True(e.TryGetUtf8Json(out _), $"event {e.Seq} did not come over the subscriber's connection"));
        Assert.All(events.Skip(1).SkipLast(1), e => Assert.Same(MeshEventKinds.TokenDelta, e.Kind));
        Assert.Same(MeshEventKinds.RunEnd, events[^1].Kind);
        Assert.Equal("""{"kind":"run_end","text":"naïve ✓"}""", events[^1].Json);
        Assert.True(reader.SubscribesOnOwnConnection);
        Assert.Contains($"name={_name}-subscriber", await ClientListAsync(redis.ConnectionString));
    }

    [Fact]
    public async Task Events_that_arrive_in_one_read_are_all_queued_before_the_reader_runs()
    {
        var reader = await UpReaderAsync(redis.ConnectionString);
        var run = NewRun();
        await using var following = await FollowAsync(reader, run);
        var reading = following.Reading;

        // Ten PUBLISH commands in one write: Redis answers them with one write, which the subscriber reads at once.
        var channel = $"{_prefix}:events:acme/{run}";
        var commands = new StringBuilder();
        for (var seq = 1; seq <= 10; seq++)
        {
            var message = RunEventWire.Message(Delta(seq));
            commands.Append(CultureInfo.InvariantCulture,
                $"*3\r\n$7\r\nPUBLISH\r\n${Encoding.UTF8.GetByteCount(channel)}\r\n{channel}\r\n${Encoding.UTF8.GetByteCount(message)}\r\n{message}\r\n");
        }

        var endpoint = (await _connections.ConnectAsync(redis.ConnectionString)).GetEndPoints()[0];
        using var publisher = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await publisher.ConnectAsync(endpoint, Token);
        await publisher.SendAsync(Encoding.UTF8.GetBytes(commands.ToString()), Token);

        var seqs = await ReadBurstAsync(reading, following.First, 10);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task Two_followers_of_one_run_each_get_every_event_and_one_leaving_does_not_stop_the_other()
    {
        var reader = await UpReaderAsync(redis.ConnectionString);
        var writer = await WriterAsync(redis.ConnectionString);
        var run = NewRun();
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var leaver = ReadUntilAsync(reader, run, leave.Token);
        var stayer = ReadAllAsync(reader, run);
        await WaitSubscribedAsync(run);

        for (var seq = 1; seq <= 50; seq++)
        {
            await writer.PublishAsync("acme", run, Delta(seq), Token);
        }

        await Eventually.TrueAsync(() => leaver.Seen >= 50);
        await leave.CancelAsync();
        await leaver.Done;
        for (var seq = 51; seq <= 100; seq++)
        {
            await writer.PublishAsync("acme", run, Delta(seq), Token);
        }

        await writer.PublishAsync("acme", run, new RunEventEnvelope(101, MeshEventKinds.RunEnd, "{}"), Token);

        Assert.Equal(Enumerable.Range(1, 101).Select(i => (long)i), (await stayer).Select(e => e.Seq));
        Assert.Equal(50, leaver.Seen);
    }

    [Fact]
    public async Task A_killed_connection_loses_no_event_and_is_remade()
    {
        var reader = await UpReaderAsync(redis.ConnectionString);
        var writer = await WriterAsync(redis.ConnectionString);
        var admin = await _connections.ConnectAsync(redis.ConnectionString, o => o.AllowAdmin = true);
        var run = NewRun();
        var read = ReadAllAsync(reader, run);
        await WaitSubscribedAsync(run);
        for (var seq = 1; seq <= 50; seq++)
        {
            await writer.PublishAsync("acme", run, Delta(seq), Token);
        }

        var killed = (long)await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "ID", SubscriberId(await ClientListAsync(redis.ConnectionString)));
        Assert.Equal(1, killed);

        // Published while the follower finds its subscription lost, subscribes again and catches up from the kept events.
        for (var seq = 51; seq <= 100; seq++)
        {
            await writer.PublishAsync("acme", run, Delta(seq), Token);
        }

        await Eventually.TrueAsync(() => reader.SubscribesOnOwnConnection);
        await writer.PublishAsync("acme", run, new RunEventEnvelope(101, MeshEventKinds.RunEnd, "{}"), Token);

        Assert.Equal(Enumerable.Range(1, 101).Select(i => (long)i), (await read).Select(e => e.Seq));
    }

    [Fact]
    public async Task An_event_kept_but_never_relayed_reaches_a_waiting_follower_after_the_quiet_spell()
    {
        var reader = await UpReaderAsync(redis.ConnectionString);
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        var run = NewRun();
        var read = ReadAllAsync(reader, run);
        await WaitSubscribedAsync(run);

        // Kept without a PUBLISH, as if its relay message were lost: only the follower's re-read finds it.
        await db.StreamAddAsync($"{_prefix}:events:acme/{run}",
            [new("seq", 1), new("kind", MeshEventKinds.RunEnd), new("json", "{}")], "1-0");

        var events = await read;
        Assert.Equal(MeshEventKinds.RunEnd, Assert.Single(events).Kind);
    }

    [Fact]
    public async Task A_server_with_a_password_gets_it_on_the_own_connection()
    {
        await using var server = await RedisServer.StartAsync(new RedisServerOptions { Password = "s3cret-pw" }, Token);
        var reader = await UpReaderAsync(server.ConnectionString);

        Assert.True(reader.SubscribesOnOwnConnection);
        Assert.Contains($"name={_name}-subscriber", await ClientListAsync(server.ConnectionString));
    }

    [Fact]
    public async Task A_user_who_may_not_run_CLIENT_follows_through_the_multiplexer()
    {
        var admin = await _connections.ConnectAsync(redis.ConnectionString);
        var user = "limited-" + Guid.NewGuid().ToString("N")[..8];
        await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", user, "on", ">limited-pw", "~*", "&*", "+@all", "-client");
        try
        {
            var multiplexer = await _connections.ConnectAsync(redis.ConnectionString, o =>
            {
                o.User = user;
                o.Password = "limited-pw";
            });
            var reader = new RedisRunEventBus(multiplexer, keyPrefix: _prefix, ownSubscribeConnection: true);
            _buses.Add(reader);
            var writer = await WriterAsync(redis.ConnectionString);
            var first = NewRun();
            await writer.PublishAsync("acme", first, new RunEventEnvelope(1, MeshEventKinds.RunEnd, "{}"), Token);
            await ReadAllAsync(reader, first);
            await Eventually.TrueAsync(() => reader.Subscriber!.Refused);

            var run = NewRun();
            var read = ReadAllAsync(reader, run);
            await WaitSubscribedAsync(run);
            await writer.PublishAsync("acme", run, Delta(1), Token);
            await writer.PublishAsync("acme", run, new RunEventEnvelope(2, MeshEventKinds.RunEnd, "{}"), Token);

            Assert.Equal([1L, 2L], (await read).Select(e => e.Seq));
            Assert.False(reader.SubscribesOnOwnConnection);
        }
        finally
        {
            await admin.GetDatabase().ExecuteAsync("ACL", "DELUSER", user);
        }
    }

    [Fact]
    public async Task A_bus_asked_for_no_own_subscriber_never_makes_one()
    {
        var bus = new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), keyPrefix: _prefix);
        _buses.Add(bus);
        var run = NewRun();
        await bus.PublishAsync("acme", run, new RunEventEnvelope(1, MeshEventKinds.RunEnd, "{}"), Token);

        await ReadAllAsync(bus, run);

        Assert.Null(bus.Subscriber);
        Assert.False(bus.SubscribesOnOwnConnection);
    }

    // Resumed on the thread that woke it (the subscriber's reading thread), the rest of the burst is already there.
    // Woken per message, the reader would run before the next message was handed out, and find none waiting.
    private static async Task<List<long>> ReadBurstAsync(IAsyncEnumerator<RunEventEnvelope> reading, ValueTask<bool> first, int count)
    {
        Assert.True(await first.ConfigureAwait(false));
        var seqs = new List<long> { reading.Current.Seq };
        for (var i = 2; i <= count; i++)
        {
            var next = reading.MoveNextAsync();
            Assert.True(next.IsCompleted, $"event {i} was not queued when the reader ran");
            Assert.True(await next.ConfigureAwait(false));
            seqs.Add(reading.Current.Seq);
        }

        return seqs;
    }

    // Follows the run from its start: the first read is under way and the run's channel subscribed.
    private async Task<Following> FollowAsync(RedisRunEventBus reader, string run)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TestTimeouts.Default);
        var reading = reader.ReadAsync("acme", run, 0, follow: true, timeout.Token).GetAsyncEnumerator(timeout.Token);
#pragma warning disable CA2012 // Awaited once, by the test.
        var following = new Following(timeout, reading, reading.MoveNextAsync());
#pragma warning restore CA2012
        await WaitSubscribedAsync(run);
        return following;
    }

    private async Task<RedisRunEventBus> UpReaderAsync(string connectionString)
    {
        var bus = new RedisRunEventBus(await _connections.ConnectAsync(connectionString, o => o.ClientName = _name), keyPrefix: _prefix, ownSubscribeConnection: true);
        _buses.Add(bus);
        await RedisRunEventBusOwnSubscriberContractTests.SubscriberUpAsync(bus);
        return bus;
    }

    private async Task<RedisRunEventBus> WriterAsync(string connectionString)
    {
        var bus = new RedisRunEventBus(await _connections.ConnectAsync(connectionString), keyPrefix: _prefix);
        _buses.Add(bus);
        return bus;
    }

    // Until the run's channel has a subscriber: a follower's events are then relayed, not only kept.
    private async Task WaitSubscribedAsync(string run)
    {
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        var channel = $"{_prefix}:events:acme/{run}";
        await Eventually.TrueAsync(async () => (long)(await db.ExecuteAsync("PUBSUB", "NUMSUB", channel))[1] > 0);
    }

    private static async Task<List<RunEventEnvelope>> ReadAllAsync(RedisRunEventBus bus, string run)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TestTimeouts.Default);
        var events = new List<RunEventEnvelope>();
        await foreach (var evt in bus.ReadAsync("acme", run, 0, follow: true, timeout.Token))
        {
            events.Add(evt);
        }

        return events;
    }

    private static Reading ReadUntilAsync(RedisRunEventBus bus, string run, CancellationToken stop)
    {
        var reading = new Reading();
        reading.Done = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in bus.ReadAsync("acme", run, 0, follow: true, stop))
                {
                    Interlocked.Increment(ref reading.Count);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }, CancellationToken.None);
        return reading;
    }

    private Task<string> ClientListAsync(string connectionString) => OwnConnections.ClientListAsync(_connections, connectionString);

    private string SubscriberId(string clients) => OwnConnections.ClientId(clients, $"{_name}-subscriber");

    private static string NewRun() => OwnConnections.NewRun();

    private static RunEventEnvelope Delta(long seq) => OwnConnections.Delta(seq);

    private sealed class Following(CancellationTokenSource timeout, IAsyncEnumerator<RunEventEnvelope> reading, ValueTask<bool> first) : IAsyncDisposable
    {
        public IAsyncEnumerator<RunEventEnvelope> Reading => reading;

        public ValueTask<bool> First => first;

        public async ValueTask DisposeAsync()
        {
            await reading.DisposeAsync();
            timeout.Dispose();
        }
    }

    private sealed class Reading
    {
        public int Count;

        public Task Done { get; set; } = Task.CompletedTask;

        public int Seen => Volatile.Read(ref Count);
    }
}
