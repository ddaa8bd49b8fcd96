using System.Diagnostics;
using System.Text.Json;
using MeshFlow.Runtime;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

public sealed partial class RedisRunQueue
{
    private readonly Lock _wakeGate = new();
    private Task? _wakeSubscription;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _groupReady;

    // Where the next XAUTOCLAIM scan of the pending entries starts; 0-0 again once a scan wrapped around.
    private string _claimCursor = "0-0";

    /// <inheritdoc />
    /// <remarks>
    /// Entries idle for <see cref="RedisRunQueueOptions.ClaimIdleTime"/> are claimed first (XAUTOCLAIM, with their
    /// delivery counts from XPENDING), then new ones read (XREADGROUP). When none is ready the read sleeps until a
    /// wake-up from <see cref="EnqueueAsync"/> or the end of <paramref name="wait"/>, looking again at least once per
    /// <see cref="RedisRunQueueOptions.ClaimIdleTime"/> for entries of consumers that died meanwhile.
    /// </remarks>
    public async Task<IReadOnlyList<QueuedRun>> ReadAsync(string consumer, int max, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (wait < TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(wait), wait, "The wait must be positive, zero or infinite.");
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await EnsureWakeSubscriptionAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // Taken before polling, so a wake-up that lands during the poll is not slept through.
            var woken = Volatile.Read(ref _wake).Task;
            var runs = await PollAsync(consumer, max, cancellationToken).ConfigureAwait(false);
            var remaining = wait == Timeout.InfiniteTimeSpan ? _options.ClaimIdleTime : wait - clock.Elapsed;
            if (runs.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return runs;
            }

            var nap = remaining < _options.ClaimIdleTime ? remaining : _options.ClaimIdleTime;
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
