using System.Diagnostics;
using System.Text.Json;
using MeshFlow.Runtime;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

public sealed partial class RedisRunQueue
{
    // The longest single XREADGROUP ... BLOCK; the read loop blocks again (after a poll) until its wait is over.
    private static readonly TimeSpan MaxBlock = TimeSpan.FromSeconds(5);

    // How long after a failed attempt the blocking connection is tried again.
    private static readonly TimeSpan BlockingRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Lock _wakeGate = new();
    private Task? _wakeSubscription;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _groupReady;

    // The connection of this queue's own that waits in XREADGROUP ... BLOCK; one read uses it at a time.
    private readonly SemaphoreSlim _blockingGate = new(1, 1);
    private ConnectionMultiplexer? _blocking;
    private long _blockingRetryAt;
    private volatile bool _blockingRefused;

    // Where the next XAUTOCLAIM scan of the pending entries starts; 0-0 again once a scan wrapped around.
    private string _claimCursor = "0-0";

    /// <inheritdoc />
    /// <remarks>
    /// Entries idle for <see cref="RedisRunQueueOptions.ClaimIdleTime"/> are claimed first (XAUTOCLAIM, with their
    /// delivery counts from XPENDING), then new ones read (XREADGROUP). When none is ready the read waits in
    /// <c>XREADGROUP ... BLOCK</c> on a connection of the queue's own (<see cref="RedisRunQueueOptions.BlockingReads"/>),
    /// which Redis answers the moment an entry is added; without it (switched off, or the connection is down) the read
    /// sleeps until a wake-up from <see cref="EnqueueAsync"/>. Either way it ends at the end of <paramref name="wait"/>,
    /// and looks again at least once per <see cref="RedisRunQueueOptions.ClaimIdleTime"/> for entries of consumers that
    /// died meanwhile.
    /// </remarks>
    public async Task<IReadOnlyList<QueuedRun>> ReadAsync(string consumer, int max, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (wait < TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(wait), wait, "The wait must be positive, zero or infinite.");
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            // Taken before polling, so a wake-up that lands during the poll is not slept through.
            var woken = Volatile.Read(ref _wake).Task;
            var runs = await PollAsync(consumer, max, cancellationToken).ConfigureAwait(false);
            var remaining = wait == Timeout.InfiniteTimeSpan ? _options.ClaimIdleTime : wait - clock.Elapsed;
            if (runs.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return runs;
            }

            var nap = remaining < _options.ClaimIdleTime ? remaining : _options.ClaimIdleTime;
            if (await ReadNewBlockingAsync(consumer, max, nap, cancellationToken).ConfigureAwait(false) is { } blocked)
            {
                if (blocked.Count > 0)
                {
                    return blocked;
                }

                continue;
            }

            // Wake-ups are listened for only by reads that cannot block. The first time, the stream is polled again
            // once subscribed: an entry added before the subscription took effect sent its wake-up to nobody.
            var subscription = EnsureWakeSubscriptionAsync();
            if (!subscription.IsCompletedSuccessfully)
            {
                await subscription.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            await woken.WaitAsync(nap, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private long _nextClaimAt;

    private void Wake() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private Task EnsureWakeSubscriptionAsync()
    {
        lock (_wakeGate)
        {
            if (_wakeSubscription is null || _wakeSubscription.IsFaulted || _wakeSubscription.IsCanceled)
            {
                _wakeSubscription = _redis.GetSubscriber().SubscribeAsync(_wakeChannel, _onWake);
            }

            return _wakeSubscription;
        }
    }

    private async Task<List<QueuedRun>> PollAsync(string consumer, int max, CancellationToken cancellationToken)
    {
        var db = _redis.GetDatabase();
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await EnsureGroupAsync(db).ConfigureAwait(false);
                var runs = new List<QueuedRun>();

                // Abandoned entries are looked for a few times per claim idle time, not on every poll: a poll that
                // finds new work then costs one round trip, which is what a run's first token waits for.
                var now = Stopwatch.GetTimestamp();
                if (now >= Volatile.Read(ref _nextClaimAt))
                {
                    Volatile.Write(ref _nextClaimAt, now + (long)(_options.ClaimIdleTime.TotalSeconds / 4 * Stopwatch.Frequency));
                    await ClaimAbandonedAsync(db, consumer, max, runs).ConfigureAwait(false);
                }

                if (runs.Count < max)
                {
                    await ReadNewAsync(db, consumer, max - runs.Count, runs).ConfigureAwait(false);
                }

                return runs;
            }
            catch (RedisServerException e) when (IsNoGroup(e) && attempt == 1)
            {
                // The server lost the stream and its group (restarted empty): create them again and look once more.
                _groupReady = false;
            }
        }
    }

    private async Task EnsureGroupAsync(IDatabase db)
    {
        if (_groupReady)
        {
            return;
        }

        try
        {
            // From the start of the stream: entries queued before the group existed are delivered too.
            await db.StreamCreateConsumerGroupAsync(_stream, _group, "0-0", createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another consumer created it first.
        }

        _groupReady = true;
    }

    private async Task ClaimAbandonedAsync(IDatabase db, string consumer, int max, List<QueuedRun> runs)
    {
        var claimed = await db.StreamAutoClaimAsync(
            _stream, _group, consumer, (long)_options.ClaimIdleTime.TotalMilliseconds, Volatile.Read(ref _claimCursor), max).ConfigureAwait(false);
        Volatile.Write(ref _claimCursor, claimed.NextStartId.IsNullOrEmpty ? "0-0" : claimed.NextStartId.ToString());

        // Entries deleted while pending: Redis 7 drops them from the pending list itself; older servers need the ack.
        if (claimed.DeletedIds is { Length: > 0 } deleted)
        {
            await db.StreamAcknowledgeAsync(_stream, _group, deleted, CommandFlags.FireAndForget).ConfigureAwait(false);
        }

        var entries = claimed.ClaimedEntries?.Where(entry => !entry.IsNull).ToArray() ?? [];
        if (entries.Length == 0)
        {
            return;
        }

        var counts = await Task.WhenAll(entries.Select(entry => DeliveryCountAsync(db, entry.Id))).ConfigureAwait(false);
        for (var i = 0; i < entries.Length; i++)
        {
            await AddAsync(consumer, entries[i], counts[i], runs).ConfigureAwait(false);
        }
    }

    private async Task<int> DeliveryCountAsync(IDatabase db, RedisValue entryId)
    {
        var pending = await db.StreamPendingMessagesAsync(_stream, _group, 1, RedisValue.Null, entryId, entryId).ConfigureAwait(false);

        // Acknowledged meanwhile by a consumer that was slow rather than dead: it was delivered twice at least.
        return pending.Length > 0 ? pending[0].DeliveryCount : 2;
    }

    private async Task ReadNewAsync(IDatabase db, string consumer, int count, List<QueuedRun> runs)
    {
        var entries = await db.StreamReadGroupAsync(_stream, _group, consumer, StreamPosition.NewMessages, count).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            await AddAsync(consumer, entry, 1, runs).ConfigureAwait(false);
        }
    }

    // XREADGROUP ... BLOCK on the queue's own connection, for at most `nap`: the new entries (none when the block timed
    // out), or null when the read cannot block (switched off, another read of this queue is blocking, or the connection
    // is down) and the caller waits for a wake-up instead.
    private async Task<List<QueuedRun>?> ReadNewBlockingAsync(string consumer, int max, TimeSpan nap, CancellationToken cancellationToken)
    {
        if (!_options.BlockingReads || _blockingRefused || !await _blockingGate.WaitAsync(0, CancellationToken.None).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            if (await BlockingConnectionAsync().ConfigureAwait(false) is not { IsConnected: true } blocking)
            {
                return null;
            }

            var block = (long)Math.Clamp(Math.Min(nap.TotalMilliseconds, MaxBlock.TotalMilliseconds), 1, MaxBlock.TotalMilliseconds);
            var reading = blocking.GetDatabase().ExecuteAsync("XREADGROUP",
                ["GROUP", _group, consumer, "COUNT", max, "BLOCK", block, "STREAMS", _stream, ">"]);

            // Left behind when the read is abandoned below: its failure is of no interest then.
            _ = reading.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            RedisResult reply;
            try
            {
                // Also ended by DisposeAsync, whatever becomes of the read on the connection it closes.
                using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
                reply = await reading.WaitAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The server still holds the read: closing its connection withdraws it, so no entry is delivered to a
                // consumer that stopped listening.
                await DropBlockingConnectionAsync().ConfigureAwait(false);
                throw;
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException
                || Volatile.Read(ref _disposed) != 0 || !ReferenceEquals(Volatile.Read(ref _blocking), blocking))
            {
                // The connection is down (the multiplexer remakes it), or DisposeAsync closed it under the read.
                return null;
            }
            catch (RedisServerException e) when (IsNoGroup(e) || e.Message.StartsWith("UNBLOCKED", StringComparison.Ordinal))
            {
                // The stream or its group went away under the read (the server lost its data, or an operator deleted
                // it): the next poll creates them again.
                _groupReady = false;
                return [];
            }
            catch (RedisServerException e)
            {
                // A server or proxy that refuses blocking reads: wake-ups from now on.
                _blockingRefused = true;
                RedisRuntimeLog.BlockingReadsRefused(_logger, e.Message);
                return null;
            }

            var runs = new List<QueuedRun>();
            foreach (var entry in StreamEntries(reply))
            {
                await AddAsync(consumer, entry, 1, runs).ConfigureAwait(false);
            }

            return runs;
        }
        finally
        {
            _blockingGate.Release();
        }
    }

    // The queue's own connection for blocking reads, made on first use (and again after a failure, at most every few
    // seconds); null while it cannot be made.
    private async Task<ConnectionMultiplexer?> BlockingConnectionAsync()
    {
        if (_blocking is { } made)
        {
            return made;
        }

        if (Stopwatch.GetTimestamp() < Volatile.Read(ref _blockingRetryAt) || Volatile.Read(ref _disposed) != 0)
        {
            return null;
        }

        var options = ConfigurationOptions.Parse(_redis.Configuration);
        options.ClientName = RespEndpoint.ClientName(options, "queue");
        options.AbortOnConnectFail = false;
        options.AsyncTimeout = (int)(MaxBlock + TimeSpan.FromSeconds(10)).TotalMilliseconds;
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            if (Volatile.Read(ref _disposed) != 0)
            {
                await connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            _blocking = connection;
            return connection;
        }
#pragma warning disable CA1031 // Any failure means waiting for wake-ups instead; the connection is tried again later.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _blockingRetryAt, Stopwatch.GetTimestamp() + (long)(BlockingRetryDelay.TotalSeconds * Stopwatch.Frequency));
            RedisRuntimeLog.BlockingConnectFailed(_logger, BlockingRetryDelay, e);
            return null;
        }
    }

    private async Task DropBlockingConnectionAsync()
    {
        if (Interlocked.Exchange(ref _blocking, null) is { } blocking)
        {
            await blocking.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await blocking.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The entries of an XREADGROUP reply: [[stream, [[id, [field, value, ...]], ...]]] (RESP2), or the same as a map
    // (RESP3); a null reply (the block timed out) has none.
    private static IEnumerable<StreamEntry> StreamEntries(RedisResult reply)
    {
        if (reply.IsNull || reply.Length == 0)
        {
            yield break;
        }

        var top = (RedisResult[])reply!;
        var streams = top[0].Resp2Type == ResultType.Array
            ? top.Select(stream => ((RedisResult[])stream!)[1])
            : top.Where((_, i) => i % 2 == 1);
        foreach (var entries in streams)
        {
            foreach (var entry in (RedisResult[])entries!)
            {
                var parts = (RedisResult[])entry!;
                var fields = parts[1].IsNull ? [] : (RedisResult[])parts[1]!;
                var values = new NameValueEntry[fields.Length / 2];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = new NameValueEntry((RedisValue)fields[2 * i], (RedisValue)fields[2 * i + 1]);
                }

                yield return new StreamEntry((RedisValue)parts[0], values);
            }
        }
    }

    private async Task AddAsync(string consumer, StreamEntry entry, int deliveryCount, List<QueuedRun> runs)
    {
        var entryId = entry.Id.ToString();
        var json = entry[RequestField];
        RunRequest? request = null;
        Exception? failure = null;
        try
        {
            request = json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<RunRequest>(json.ToString());
        }
        catch (JsonException e)
        {
            failure = e;
        }

        if (request is null)
        {
            // Nothing can ever execute it: out of the way, with the reason, instead of failing every read.
            RedisRuntimeLog.UnreadableEntry(_logger, entryId, failure);
            var reason = "unreadable run request" + (failure is null ? string.Empty : ": " + failure.Message);
            await DeadLetterAsync(entryId, string.Empty, json.IsNull ? string.Empty : json.ToString(), reason, deliveryCount).ConfigureAwait(false);
            return;
        }

        _delivered[entryId] = consumer;
        runs.Add(new QueuedRun(request, entryId, deliveryCount));
    }

    private static bool IsNoGroup(RedisServerException e) => e.Message.StartsWith("NOGROUP", StringComparison.Ordinal);
}
