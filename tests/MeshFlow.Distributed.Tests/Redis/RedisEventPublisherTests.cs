using System.Globalization;
using System.Text;
using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Events;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>
/// The event bus's own publishing connection (a worker's): events written on it are kept and relayed in order, a lost
/// connection hands over to the multiplexer and is remade, and a server that refuses it leaves the multiplexer in charge.
/// </summary>
public sealed class RedisEventPublisherTests(RedisFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = RedisTestOptions.NewPrefix();

    // The multiplexers' client name, and so the own connection's ("<name>-publisher"): one per test, as tests run in parallel.
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deltas_written_on_the_own_connection_are_kept_and_relayed_in_order_before_the_awaited_step_end_returns(bool utf8Json)
    {
        var bus = await UpBusAsync(redis.ConnectionString);
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        var run = NewRun();
        var key = $"{_prefix}:events:acme/{run}";
        var relayed = await (await _connections.ConnectAsync(redis.ConnectionString)).GetSubscriber().SubscribeAsync(RedisChannel.Literal(key));

        for (var seq = 1; seq <= 300; seq++)
        {
            var delta = Delta(seq);
            await bus.PublishAsync("acme", run, utf8Json ? new RunEventEnvelope(delta.Seq, delta.Kind, Encoding.UTF8.GetBytes(delta.Json)) : delta, Token);
        }

        // A worker's events come as UTF-8 bytes (serialized for the wire), others as strings: both are written as UTF-8.
        const string StepEnd = """{"kind":"step_end","text":"naïve ✓"}""";
        await bus.PublishAsync("acme", run, utf8Json
            ? new RunEventEnvelope(301, MeshEventKinds.StepEnd, Encoding.UTF8.GetBytes(StepEnd))
            : new RunEventEnvelope(301, MeshEventKinds.StepEnd, StepEnd), Token);

        // Awaited: once it returned, it and every delta before it are kept.
        var kept = await db.StreamRangeAsync(key, "-", "+");
        Assert.Equal(Enumerable.Range(1, 301).Select(i => $"{i}-0"), kept.Select(e => e.Id.ToString()));
        Assert.Equal("""{"kind":"step_end","text":"naïve ✓"}""", kept[^1]["json"].ToString());
        Assert.InRange((await db.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));

        var messages = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TestTimeouts.Default);
        while (messages.Count < 301)
        {
            messages.Add((await relayed.ReadAsync(timeout.Token)).Message.ToString());
        }

        Assert.Equal(Enumerable.Range(1, 301).Select(i => i.ToString(CultureInfo.InvariantCulture)), messages.Select(m => m[..m.IndexOf('\n', StringComparison.Ordinal)]));
        Assert.Equal("301\nstep_end\n{\"kind\":\"step_end\",\"text\":\"naïve ✓\"}", messages[^1]);
        Assert.True(bus.PublishesOnOwnConnection);
        Assert.Contains($"name={_name}-publisher", await ClientListAsync(redis.ConnectionString));
    }

    [Fact]
    public async Task An_event_kept_already_publishes_again_without_an_error()
    {
        var bus = await UpBusAsync(redis.ConnectionString);
        var run = NewRun();
        await bus.PublishAsync("acme", run, new RunEventEnvelope(1, MeshEventKinds.StepEnd, "{}"), Token);

        await bus.PublishAsync("acme", run, new RunEventEnvelope(1, MeshEventKinds.StepEnd, "{}"), Token);

        Assert.Equal(1, await bus.LastSeqAsync("acme", run, Token));
    }

    [Fact]
    public async Task A_killed_connection_hands_over_to_the_multiplexer_and_is_remade()
    {
        var bus = await UpBusAsync(redis.ConnectionString);
        var admin = await _connections.ConnectAsync(redis.ConnectionString, o => o.AllowAdmin = true);
        var run = NewRun();
        await bus.PublishAsync("acme", run, Delta(1), Token);
        await bus.PublishAsync("acme", run, new RunEventEnvelope(2, MeshEventKinds.StepEnd, "{}"), Token);

        var killed = (long)await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "ID", PublisherId(await ClientListAsync(redis.ConnectionString)));
        Assert.Equal(1, killed);

        // Whatever was in flight when the connection died: an awaited publication either lands or fails, never hangs;
        // and publishing keeps working (through the multiplexer) while the connection is remade.
        var seq = 2L;
        var failures = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TestTimeouts.Default);
        do
        {
            try
            {
                await bus.PublishAsync("acme", run, new RunEventEnvelope(++seq, MeshEventKinds.StepEnd, "{}"), Token).AsTask().WaitAsync(timeout.Token);
            }
            catch (RedisConnectionException)
            {
                failures++;
            }

            await Task.Delay(10, timeout.Token);
        }
        while (!bus.PublishesOnOwnConnection);

        Assert.InRange(failures, 0, 1);
        await bus.PublishAsync("acme", run, new RunEventEnvelope(++seq, MeshEventKinds.RunEnd, "{}"), Token);
        Assert.Equal(seq, await bus.LastSeqAsync("acme", run, Token));
        Assert.True(bus.PublishesOnOwnConnection);
    }

    [Fact]
    public async Task A_server_with_a_password_gets_it_on_the_own_connection()
    {
        await using var server = await RedisServer.StartAsync(new RedisServerOptions { Password = "s3cret-pw" }, Token);
        var bus = await UpBusAsync(server.ConnectionString);
        var run = NewRun();

        await bus.PublishAsync("acme", run, new RunEventEnvelope(1, MeshEventKinds.RunEnd, "{}"), Token);

        Assert.Equal(1, await bus.LastSeqAsync("acme", run, Token));
        Assert.Contains($"name={_name}-publisher", await ClientListAsync(server.ConnectionString));
    }

    [Fact]
    public async Task A_user_who_may_not_run_CLIENT_publishes_through_the_multiplexer()
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
            var bus = new RedisRunEventBus(multiplexer, keyPrefix: _prefix, ownPublishConnection: true);
            _buses.Add(bus);
            var run = NewRun();

            await bus.PublishAsync("acme", run, Delta(1), Token);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
            timeout.CancelAfter(TestTimeouts.Default);
            while (!bus.Publisher!.Refused)
            {
                await Task.Delay(20, timeout.Token);
            }

            await bus.PublishAsync("acme", run, new RunEventEnvelope(2, MeshEventKinds.RunEnd, "{}"), Token);

            Assert.False(bus.PublishesOnOwnConnection);
            Assert.Equal(2, await bus.LastSeqAsync("acme", run, Token));
        }
        finally
        {
            await admin.GetDatabase().ExecuteAsync("ACL", "DELUSER", user);
        }
    }

    [Fact]
    public async Task A_bus_asked_for_no_own_connection_never_makes_one()
    {
        var bus = new RedisRunEventBus(await _connections.ConnectAsync(redis.ConnectionString), keyPrefix: _prefix);
        _buses.Add(bus);

        await bus.PublishAsync("acme", NewRun(), new RunEventEnvelope(1, MeshEventKinds.RunEnd, "{}"), Token);

        Assert.Null(bus.Publisher);
        Assert.False(bus.PublishesOnOwnConnection);
    }

    private async Task<RedisRunEventBus> UpBusAsync(string connectionString)
    {
        var bus = new RedisRunEventBus(await _connections.ConnectAsync(connectionString, o => o.ClientName = _name), keyPrefix: _prefix, ownPublishConnection: true);
        _buses.Add(bus);
        await RedisRunEventBusOwnConnectionContractTests.UpAsync(bus);
        return bus;
    }

    private Task<string> ClientListAsync(string connectionString) => OwnConnections.ClientListAsync(_connections, connectionString);

    private string PublisherId(string clients) => OwnConnections.ClientId(clients, $"{_name}-publisher");

    private static string NewRun() => OwnConnections.NewRun();

    private static RunEventEnvelope Delta(long seq) => OwnConnections.Delta(seq);
}
