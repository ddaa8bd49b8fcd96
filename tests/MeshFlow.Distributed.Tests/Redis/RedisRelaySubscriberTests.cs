using System.Collections.Concurrent;
using System.Text;
using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Events;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>The API's relay subscriber: one connection of its own, read by one thread, against real Redis servers.</summary>
public sealed class RedisRelaySubscriberTests(RedisFixture redis) : IAsyncLifetime
{
    private readonly RedisConnections _connections = new();
    private readonly string _prefix = RedisTestOptions.NewPrefix();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _connections.DisposeAsync();

    [Fact]
    public async Task Messages_reach_the_channels_listeners_in_order_on_the_reader_thread_until_they_leave()
    {
        await using var relay = new RedisRelaySubscriber(ConfigurationOptions.Parse(redis.ConnectionString));
        var publisher = (await _connections.ConnectAsync(redis.ConnectionString)).GetSubscriber();
        var channel = _prefix + ":a";
        var first = new Listener();
        var second = new Listener();
        var other = new Listener();
        var subscription = await relay.SubscribeAsync(channel, first, Token);
        using (await relay.SubscribeAsync(channel, second, Token))
        using (await relay.SubscribeAsync(_prefix + ":b", other, Token))
        {
            for (var i = 1; i <= 50; i++)
            {
                await publisher.PublishAsync(RedisChannel.Literal(channel), $"m{i}");
            }

            await Eventually.TrueAsync(() => first.Count == 50 && second.Count == 50);
            Assert.Equal(Enumerable.Range(1, 50).Select(i => $"m{i}"), first.Messages);
            Assert.Equal(first.Messages, second.Messages);
            Assert.Empty(other.Messages);
            Assert.Equal("MeshFlow relay subscriber", Assert.Single(first.Threads.Distinct()));
        }

        // The second listener left; the first still hears the channel.
        await publisher.PublishAsync(RedisChannel.Literal(channel), "after");
        await Eventually.TrueAsync(() => first.Count == 51);
        Assert.Equal(50, second.Count);

        // The last listener left: the server no longer sends the channel to this connection.
        subscription.Dispose();
        await Eventually.TrueAsync(async () => await publisher.PublishAsync(RedisChannel.Literal(channel), "gone") == 0);
        Assert.Equal(0, relay.ChannelCount);
        Assert.Equal(51, first.Count);
    }

    [Fact]
    public async Task Every_channel_shares_one_connection_named_after_the_client()
    {
        var name = "api-" + Guid.NewGuid().ToString("N")[..8];
        var configuration = ConfigurationOptions.Parse(redis.ConnectionString);
        configuration.ClientName = name;
        await using var relay = new RedisRelaySubscriber(configuration);
        var subscriptions = new List<IDisposable>();
        for (var i = 0; i < 100; i++)
        {
            subscriptions.Add(await relay.SubscribeAsync($"{_prefix}:{i}", new Listener(), Token));
        }

        var admin = await _connections.ConnectAsync(redis.ConnectionString, o => o.AllowAdmin = true);
        var mine = (await admin.GetServers()[0].ClientListAsync()).Where(c => c.Name == name + "-relay").ToList();
        Assert.Equal(100, Assert.Single(mine).SubscriptionCount);
        subscriptions.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task A_broken_connection_is_reopened_and_its_listeners_told_that_messages_were_lost()
    {
        var name = "api-" + Guid.NewGuid().ToString("N")[..8];
        var configuration = ConfigurationOptions.Parse(redis.ConnectionString);
        configuration.ClientName = name;
        await using var relay = new RedisRelaySubscriber(configuration);
        var publisher = (await _connections.ConnectAsync(redis.ConnectionString, o => o.AllowAdmin = true));
        var channel = RedisChannel.Literal(_prefix + ":c");
        var listener = new Listener();
        using var subscription = await relay.SubscribeAsync(_prefix + ":c", listener, Token);

        await publisher.GetSubscriber().PublishAsync(channel, "before");
        await Eventually.TrueAsync(() => listener.Count == 1);
        await KillConnectionAsync(publisher, name + "-relay");

        await Eventually.TrueAsync(() => listener.Resubscribed > 0);
        await publisher.GetSubscriber().PublishAsync(channel, "after");
        await Eventually.TrueAsync(() => listener.Count == 2);
        Assert.Equal(["before", "after"], listener.Messages);
    }

    [Fact]
    public async Task A_follower_recovers_the_events_published_while_the_relay_was_cut_off()
    {
        await using var server = await RedisServer.StartAsync(Token);
        var configuration = ConfigurationOptions.Parse(server.ConnectionString);
        configuration.ClientName = "api";
        await using var relay = new RedisRelaySubscriber(configuration);
        var reader = new RedisRunEventBus(await _connections.ConnectAsync(server.ConnectionString), relay, keyPrefix: _prefix);
        var publisher = new RedisRunEventBus(await _connections.ConnectAsync(server.ConnectionString), keyPrefix: _prefix);
        var run = "run-" + Guid.NewGuid().ToString("N");
        var seen = new ConcurrentQueue<long>();
        var reading = Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.Default);
            await foreach (var evt in reader.ReadAsync("acme", run, 0, cancellationToken: timeout.Token))
            {
                seen.Enqueue(evt.Seq);
            }
        });

        await publisher.PublishAsync("acme", run, Delta(1), Token);
        await Eventually.TrueAsync(() => seen.Count == 1);

        // Only the relay's connection is cut: events 2 and 3 are kept but never relayed to it.
        await KillConnectionAsync(await _connections.ConnectAsync(server.ConnectionString, o => o.AllowAdmin = true), "api-relay");
        await publisher.PublishAsync("acme", run, Delta(2), Token);
        await publisher.PublishAsync("acme", run, Delta(3), Token);
        await publisher.PublishAsync("acme", run, new RunEventEnvelope(4, MeshEventKinds.RunEnd, "{}"), Token);

        await reading.WaitAsync(TestTimeouts.Default, Token);
        Assert.Equal([1L, 2L, 3L, 4L], seen);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_subscription_with_the_servers_reason_and_never_the_password()
    {
        await using var server = await RedisServer.StartAsync(new RedisServerOptions { Password = "right-horse-battery" }, Token);
        var configuration = ConfigurationOptions.Parse(server.ConnectionString);
        configuration.Password = "wrong-staple-secret";
        configuration.ConnectTimeout = 1000;
        configuration.AsyncTimeout = 1000;
        await using var relay = new RedisRelaySubscriber(configuration);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => relay.SubscribeAsync("c", new Listener(), Token));
        Assert.Contains("did not confirm the subscription", error.Message, StringComparison.Ordinal);
        Assert.Contains("AUTH", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-staple-secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, relay.ChannelCount);

        // The right password works.
        await using var good = new RedisRelaySubscriber(ConfigurationOptions.Parse(server.ConnectionString));
        var listener = new Listener();
        using var subscription = await good.SubscribeAsync("c", listener, Token);
        var publisher = (await _connections.ConnectAsync(server.ConnectionString)).GetSubscriber();
        await publisher.PublishAsync(RedisChannel.Literal("c"), "hello");
        await Eventually.TrueAsync(() => listener.Count == 1);
    }

    [Fact]
    public async Task A_server_that_is_down_fails_the_subscription_in_time_and_it_works_once_the_server_is_back()
    {
        await using var server = await RedisServer.StartAsync(Token);
        var configuration = ConfigurationOptions.Parse(server.ConnectionString);
        configuration.ConnectTimeout = 1000;
        configuration.AsyncTimeout = 1000;
        await using var relay = new RedisRelaySubscriber(configuration);
        await server.KillAsync();

        await Assert.ThrowsAsync<RedisConnectionException>(() => relay.SubscribeAsync("c", new Listener(), Token));

        await server.RestartAsync(Token);
        var listener = new Listener();
        using var subscription = await Eventually.SucceedsAsync(() => relay.SubscribeAsync("c", listener, Token));
        var publisher = (await _connections.ConnectAsync(server.ConnectionString)).GetSubscriber();
        await publisher.PublishAsync(RedisChannel.Literal("c"), "back");
        await Eventually.TrueAsync(() => listener.Count == 1);
    }

    [Fact]
    public void Replies_are_read_whole_or_not_at_all_and_garbage_is_refused()
    {
        var message = "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhe\r\nl\r\n"u8.ToArray();
        Assert.True(RespReply.TryRead(message, out var reply));
        Assert.Equal("message", Encoding.UTF8.GetString(reply.Kind));
        Assert.Equal("ch", Encoding.UTF8.GetString(reply.Channel));
        Assert.Equal("he\r\nl", Encoding.UTF8.GetString(reply.Payload));
        Assert.Equal(message.Length, reply.Length);
        for (var cut = 0; cut < message.Length; cut++)
        {
            Assert.False(RespReply.TryRead(message.AsSpan(0, cut), out _));
        }

        var confirmation = "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"u8.ToArray();
        Assert.True(RespReply.TryRead(confirmation, out reply));
        Assert.Equal("1", Encoding.UTF8.GetString(reply.Payload));

        Assert.Throws<InvalidDataException>(() => RespReply.TryRead("-ERR nope\r\n"u8, out _));
        Assert.Throws<InvalidDataException>(() => RespReply.TryRead("*1\r\n$x\r\n"u8, out _));
    }

    // Cuts one connection, found by its client name, as a network failure would.
    private static async Task KillConnectionAsync(IConnectionMultiplexer admin, string name)
    {
        var server = admin.GetServers()[0];
        var client = Assert.Single(await server.ClientListAsync(), c => c.Name == name);
        Assert.Equal(1, await server.ClientKillAsync(client.Id));
    }

    private static RunEventEnvelope Delta(long seq) => new(seq, MeshEventKinds.TokenDelta, """{"data":{"text":"x"}}""");

    private sealed class Listener : IRelayListener
    {
        private readonly ConcurrentQueue<string> _messages = new();
        private readonly ConcurrentQueue<string> _threads = new();
        private int _resubscribed;

        public int Count => _messages.Count;

        public IReadOnlyList<string> Messages => [.. _messages];

        public IReadOnlyList<string> Threads => [.. _threads];

        public int Resubscribed => Volatile.Read(ref _resubscribed);

        public void OnMessage(ReadOnlySpan<byte> payload)
        {
            _messages.Enqueue(Encoding.UTF8.GetString(payload));
            _threads.Enqueue(Thread.CurrentThread.Name ?? "?");
        }

        public void OnResubscribed() => Interlocked.Increment(ref _resubscribed);
    }
}
