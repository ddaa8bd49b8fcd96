using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Runtime;
using MeshFlow.Testing.Redis;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>What the Redis run queue does beyond the shared contract: its keys, wake-ups and odd entries.</summary>
public sealed class RedisRunQueueTests(RedisFixture redis) : IAsyncLifetime
{
    private static readonly TimeSpan ShortWait = TimeSpan.FromMilliseconds(300);
    private readonly RedisConnections _connections = new();
    private readonly List<RedisRunQueue> _queues = [];
    private IConnectionMultiplexer? _admin;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            await queue.DisposeAsync();
        }

        await _connections.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Idle_consumer_wakes_on_a_queued_run_long_before_its_wait_or_claim_interval_ends(bool blockingReads)
    {
        // Nothing but the blocking read's answer, or without it the wake-up message, can end this read within the
        // test's timeout.
        var options = SlowClaims(blockingReads);
        var consumer = await NewQueueAsync(options);
        var producer = await NewQueueAsync(options);
        var request = NewRequest();

        var reading = consumer.ReadAsync("worker-1", 1, TimeSpan.FromMinutes(30), Token);
        await Task.Delay(ShortWait, Token);
        await producer.EnqueueAsync(request, Token);

        var run = Assert.Single(await reading.WaitAsync(TestTimeouts.Default));
        Assert.Equal(request.RunId, run.Request.RunId);
    }

    [Fact]
    public async Task Idle_blocking_read_is_answered_by_an_entry_added_without_a_wake_up()
    {
        var options = SlowClaims(blockingReads: true);
        var name = NewClientName();
        var consumer = await NewQueueAsync(options, name);
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        var request = NewRequest();

        var reading = consumer.ReadAsync("worker-1", 1, TimeSpan.FromMinutes(30), Token);

        // The queue's own connection waits in XREADGROUP ... BLOCK, under the shared connection's name.
        await Eventually.TrueAsync(() => BlockedInReadAsync(name));
        Assert.False(reading.IsCompleted);

        // Added the way another client would, with no wake-up message.
        await db.StreamAddAsync(options.KeyPrefix + ":runs", "request", System.Text.Json.JsonSerializer.Serialize(request));

        var run = Assert.Single(await reading.WaitAsync(TestTimeouts.Default, Token));
        Assert.Equal(request.RunId, run.Request.RunId);
        Assert.Equal(1, run.DeliveryCount);
        var pending = await db.StreamPendingMessagesAsync(options.KeyPrefix + ":runs", "workers", 10, "worker-1");
        Assert.Equal(run.DeliveryId, Assert.Single(pending).MessageId.ToString());
    }

    [Fact]
    public async Task Blocking_read_outlives_its_stream_being_deleted_and_takes_the_next_run()
    {
        var options = SlowClaims(blockingReads: true);
        var name = NewClientName();
        var consumer = await NewQueueAsync(options, name);
        var producer = await NewQueueAsync(options);
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        var request = NewRequest();

        var reading = consumer.ReadAsync("worker-1", 1, TimeSpan.FromMinutes(30), Token);
        await Eventually.TrueAsync(() => BlockedInReadAsync(name));

        // As when the server restarts empty: the stream and its group are gone under the blocked read.
        await db.KeyDeleteAsync(options.KeyPrefix + ":runs");
        await Eventually.TrueAsync(async () => await db.KeyExistsAsync(options.KeyPrefix + ":runs"));
        await producer.EnqueueAsync(request, Token);

        var run = Assert.Single(await reading.WaitAsync(TestTimeouts.Default, Token));
        Assert.Equal(request.RunId, run.Request.RunId);

        // And the next read blocks again, rather than falling back to wake-ups.
        var next = consumer.ReadAsync("worker-1", 1, TimeSpan.FromMinutes(30), Token);
        await Eventually.TrueAsync(() => BlockedInReadAsync(name));
        await producer.EnqueueAsync(NewRequest(), Token);
        Assert.Single(await next.WaitAsync(TestTimeouts.Default, Token));
    }

    [Fact]
    public async Task Cancelled_blocking_read_leaves_the_next_entry_to_a_consumer_still_reading()
    {
        // Were the cancelled read still blocking on the server, it would take the entry, and the other consumer
        // would see it only after the 30-minute claim idle time.
        var options = SlowClaims(blockingReads: true);
        var name = NewClientName();
        var stopping = await NewQueueAsync(options, name);
        var other = await NewQueueAsync(options);
        var request = NewRequest();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var cancelled = stopping.ReadAsync("worker-1", 1, TimeSpan.FromMinutes(30), stop.Token);
        await Eventually.TrueAsync(() => BlockedInReadAsync(name));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        var reading = other.ReadAsync("worker-2", 1, TimeSpan.FromMinutes(30), Token);
        await Task.Delay(ShortWait, Token);
        await other.EnqueueAsync(request, Token);

        var run = Assert.Single(await reading.WaitAsync(TestTimeouts.Default, Token));
        Assert.Equal(request.RunId, run.Request.RunId);
        Assert.Equal(1, run.DeliveryCount);
    }

    [Fact]
    public async Task Disposed_queue_closes_its_blocking_connection()
    {
        var name = NewClientName();
        var queue = await NewQueueAsync(SlowClaims(blockingReads: true), name);
        var reading = queue.ReadAsync("worker-1", 1, TimeSpan.FromMinutes(30), Token);
        await Eventually.TrueAsync(() => BlockedInReadAsync(name));

        await queue.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => reading.WaitAsync(TestTimeouts.Default, Token));
        await Eventually.TrueAsync(async () => !await HasQueueConnectionAsync(name));
    }

    [Fact]
    public async Task Without_blocking_reads_no_connection_of_the_queue_own_is_made()
    {
        var options = SlowClaims(blockingReads: false);
        var name = NewClientName();
        var consumer = await NewQueueAsync(options, name);
        var producer = await NewQueueAsync(options);
        var reading = consumer.ReadAsync("worker-1", 1, TimeSpan.FromMinutes(30), Token);
        await Task.Delay(ShortWait, Token);
        await producer.EnqueueAsync(NewRequest(), Token);

        Assert.Single(await reading.WaitAsync(TestTimeouts.Default, Token));
        Assert.False(await HasQueueConnectionAsync(name));
    }

    [Fact]
    public async Task Queue_keeps_its_entries_in_the_documented_keys_and_deletes_them_once_acknowledged()
    {
        var options = RedisTestOptions.FastQueue();
        var queue = await NewQueueAsync(options);
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        var request = NewRequest();

        await queue.EnqueueAsync(request, Token);
        Assert.Equal(1, await db.StreamLengthAsync(options.KeyPrefix + ":runs"));
        Assert.Equal(1, (long)await db.HashGetAsync(options.KeyPrefix + ":runs:held", "acme/" + request.RunId));

        var run = Assert.Single(await ReadUntilAsync(queue, "worker-1"));
        var pending = await db.StreamPendingAsync(options.KeyPrefix + ":runs", "workers");
        Assert.Equal(1, pending.PendingMessageCount);
        Assert.Equal(run.DeliveryId, pending.LowestPendingMessageId.ToString());

        await queue.AcknowledgeAsync(run, Token);
        Assert.Equal(0, await db.StreamLengthAsync(options.KeyPrefix + ":runs"));
        Assert.Equal(0, (await db.StreamPendingAsync(options.KeyPrefix + ":runs", "workers")).PendingMessageCount);
        Assert.False(await db.HashExistsAsync(options.KeyPrefix + ":runs:held", "acme/" + request.RunId));
    }

    [Fact]
    public async Task Dead_letter_entry_records_the_request_reason_delivery_count_and_original_id()
    {
        var options = RedisTestOptions.FastQueue();
        var queue = await NewQueueAsync(options);
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        await queue.EnqueueAsync(NewRequest(), Token);
        var run = Assert.Single(await ReadUntilAsync(queue, "worker-1"));

        await queue.DeadLetterAsync(run, "too many deliveries", Token);

        var dead = Assert.Single(await db.StreamRangeAsync(options.KeyPrefix + ":runs:dead"));
        Assert.Equal("too many deliveries", dead["reason"].ToString());
        Assert.Equal("1", dead["delivery_count"].ToString());
        Assert.Equal(run.DeliveryId, dead["original_id"].ToString());
        Assert.Contains(run.Request.RunId, dead["request"].ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await db.StreamLengthAsync(options.KeyPrefix + ":runs"));
    }

    [Fact]
    public async Task Unreadable_entry_goes_to_the_dead_letter_stream_and_the_queue_goes_on()
    {
        var options = RedisTestOptions.FastQueue();
        var queue = await NewQueueAsync(options);
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        await db.StreamAddAsync(options.KeyPrefix + ":runs", "request", "{not json");
        var request = NewRequest();
        await queue.EnqueueAsync(request, Token);

        var run = Assert.Single(await ReadUntilAsync(queue, "worker-1"));

        Assert.Equal(request.RunId, run.Request.RunId);
        var dead = Assert.Single(await db.StreamRangeAsync(options.KeyPrefix + ":runs:dead"));
        Assert.StartsWith("unreadable run request", dead["reason"].ToString(), StringComparison.Ordinal);
        Assert.Equal("{not json", dead["request"].ToString());
    }

    [Fact]
    public async Task Entry_deleted_while_its_consumer_was_dead_is_dropped_when_claimed()
    {
        var options = RedisTestOptions.FastQueue();
        var dying = await NewQueueAsync(options);
        var survivor = await NewQueueAsync(options);
        var db = (await _connections.ConnectAsync(redis.ConnectionString)).GetDatabase();
        await dying.EnqueueAsync(NewRequest(), Token);
        var run = Assert.Single(await ReadUntilAsync(dying, "worker-1"));
        await dying.DisposeAsync();

        // Gone from the stream (trimmed by an operator, say) but still pending for the dead consumer.
        await db.StreamDeleteAsync(options.KeyPrefix + ":runs", [run.DeliveryId]);

        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while ((await db.StreamPendingAsync(options.KeyPrefix + ":runs", "workers")).PendingMessageCount > 0)
        {
            Assert.Empty(await survivor.ReadAsync("worker-2", 10, options.ClaimIdleTime, timeout.Token));
        }
    }

    [Fact]
    public async Task Behind_a_proxy_that_refuses_blocking_reads_runs_still_arrive_by_wake_ups()
    {
        await using var proxy = new BlockingReadRefusingProxy(redis.Server.Port);
        var options = SlowClaims(blockingReads: true);
        var throughProxy = await _connections.ConnectAsync(redis.ConnectionString, o =>
        {
            o.EndPoints.Clear();
            o.EndPoints.Add("127.0.0.1", proxy.Port);
        });
        await using var consumer = new RedisRunQueue(throughProxy, options);
        var producer = await NewQueueAsync(options);
        var first = NewRequest();

        // The blocking read is refused; with claims and its wait 30 minutes away, only a wake-up can end this read.
        var reading = consumer.ReadAsync("worker-1", 1, TimeSpan.FromMinutes(30), Token);
        await Eventually.TrueAsync(() => proxy.Refused == 1);
        await Task.Delay(ShortWait, Token);
        Assert.False(reading.IsCompleted);
        await producer.EnqueueAsync(first, Token);
        Assert.Equal(first.RunId, Assert.Single(await reading.WaitAsync(TestTimeouts.Default, Token)).Request.RunId);

        // The refusal is remembered: the next read does not try to block again, and is answered the same way.
        var second = NewRequest();
        var next = consumer.ReadAsync("worker-1", 1, TimeSpan.FromMinutes(30), Token);
        await Task.Delay(ShortWait, Token);
        await producer.EnqueueAsync(second, Token);
        Assert.Equal(second.RunId, Assert.Single(await next.WaitAsync(TestTimeouts.Default, Token)).Request.RunId);
        Assert.Equal(1, proxy.Refused);
        Assert.True(proxy.ForwardedReads >= 2, $"{proxy.ForwardedReads} non-blocking reads went through the proxy");
    }

    [Fact]
    public void Options_that_would_let_live_consumers_lose_their_runs_are_refused()
    {
        var options = new RedisRunQueueOptions { ClaimIdleTime = TimeSpan.FromSeconds(10), RenewInterval = TimeSpan.FromSeconds(10) };
        var connection = ConnectionMultiplexer.Connect(redis.ConnectionString);
        using (connection)
        {
            var error = Assert.Throws<ArgumentException>(() => new RedisRunQueue(connection, options));
            Assert.Contains("RenewInterval", error.Message, StringComparison.Ordinal);
        }
    }

    internal static RunRequest NewRequest() => new()
    {
        TenantId = "acme",
        RunId = "run-" + Guid.NewGuid().ToString("N"),
        Definition = "name: redis\nnodes: []\n",
        Input = "hello",
    };

    internal static async Task<IReadOnlyList<QueuedRun>> ReadUntilAsync(IRunQueue queue, string consumer)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            var runs = await queue.ReadAsync(consumer, 10, ShortWait, timeout.Token);
            if (runs.Count > 0)
            {
                return runs;
            }
        }
    }

    private static string NewClientName() => "queue-test-" + Guid.NewGuid().ToString("N");

    // Whether the queue's own connection (named after the shared one) is blocked in XREADGROUP.
    private async Task<bool> BlockedInReadAsync(string name) =>
        (await QueueConnectionsAsync(name)).Any(line => line.Contains(" flags=b ", StringComparison.Ordinal) && line.Contains(" cmd=xreadgroup ", StringComparison.Ordinal));

    private async Task<bool> HasQueueConnectionAsync(string name) => (await QueueConnectionsAsync(name)).Length > 0;

    private async Task<string[]> QueueConnectionsAsync(string name) =>
        [.. (await ClientListAsync()).Split('\n').Where(line => line.Contains($" name={name}-queue ", StringComparison.Ordinal))];

    private async Task<string> ClientListAsync()
    {
        _admin ??= await _connections.ConnectAsync(redis.ConnectionString, o => o.AllowAdmin = true);
        return (await _admin.GetDatabase().ExecuteAsync("CLIENT", "LIST")).ToString();
    }

    // Claims and the read's wait far beyond the test's timeout: only a delivery can end a read in time.
    private static RedisRunQueueOptions SlowClaims(bool blockingReads) => new()
    {
        KeyPrefix = RedisTestOptions.NewPrefix(),
        ClaimIdleTime = TimeSpan.FromMinutes(30),
        RenewInterval = TimeSpan.FromMinutes(1),
        BlockingReads = blockingReads,
    };

    private async Task<RedisRunQueue> NewQueueAsync(RedisRunQueueOptions options, string? clientName = null)
    {
        var queue = new RedisRunQueue(await _connections.ConnectAsync(redis.ConnectionString, o => o.ClientName = clientName ?? o.ClientName), options);
        _queues.Add(queue);
        return queue;
    }
}
