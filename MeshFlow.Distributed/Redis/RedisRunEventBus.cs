using System.Runtime.CompilerServices;
using MeshFlow.Events;
using MeshFlow.Runtime;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

/// <summary>
/// The distributed event bus: each run's events kept in a short-lived Redis stream and relayed live over pub/sub,
/// through one shared <see cref="IConnectionMultiplexer"/> (and so one subscriber connection for every reader).
/// </summary>
/// <remarks>
/// <para>
/// A run's events are the stream <c>&lt;prefix&gt;:events:&lt;tenant&gt;/&lt;run&gt;</c> (entry id <c>&lt;seq&gt;-0</c>,
/// fields <c>seq</c>, <c>kind</c>, <c>json</c>; trimmed to about <see cref="RunEventBusOptions.MaxEventsPerRun"/>;
/// expiring <see cref="RunEventBusOptions.Retention"/> after the last refresh of its expiry, which the first event,
/// every 64th, and every <c>step_end</c> and <c>run_end</c> make) and the pub/sub channel of the same
/// name, which carries <c>&lt;seq&gt;\n&lt;kind&gt;\n&lt;json&gt;</c>. An event whose sequence number is not above the
/// last kept one is not kept again.
/// </para>
/// <para>
/// Publishing a token delta costs no round trip: its commands are pipelined, fire and forget, in order on one
/// connection (the multiplexer's, or with <c>ownPublishConnection</c> the bus's own, written on the publishing thread
/// with Redis's replies off), so it is kept and relayed a moment after <see cref="PublishAsync"/> returns.
/// <c>step_end</c> and <c>run_end</c> wait for the server: once their publication returns, they and every event
/// before them are kept. A reader subscribes first, then reads the kept events, then relays live ones, dropping any it
/// already yielded; a gap in the live sequence, or two seconds without a live event, makes it read the kept events
/// again, which covers a message lost by the relay. Readers share one subscriber connection: the multiplexer's, or with
/// <c>ownSubscribeConnection</c> the bus's own, whose receiving thread hands each event straight to its reader (and
/// whose loss makes every reader subscribe again and read the kept events it missed).
/// </para>
/// </remarks>
public sealed class RedisRunEventBus : IRunEventBus, IDisposable
{
    /// <summary>How long a follower waits for a live event before it reads the kept ones again.</summary>
    internal static readonly TimeSpan QuietReread = TimeSpan.FromSeconds(2);

    private const int PageSize = 512;
    private const int ExpiryRefreshInterval = 64;

    private readonly IConnectionMultiplexer _redis;
    private readonly RunEventBusOptions _options;
    private readonly string _prefix;
    private readonly RedisEventPublisher? _publisher;
    private readonly RedisEventSubscriber? _subscriber;

    /// <summary>Creates a bus over <paramref name="redis"/>, which it uses but does not own.</summary>
    /// <param name="redis">The shared multiplexer.</param>
    /// <param name="options">Retention and size of the kept events.</param>
    /// <param name="keyPrefix">The prefix of the run streams and channels (default <c>meshflow</c>).</param>
    /// <param name="ownPublishConnection">
    /// Publish on a connection of the bus's own, written by the publishing thread with Redis's replies off except
    /// where a caller waits (what a worker wants: see <see cref="PublishesOnOwnConnection"/>); the multiplexer stands in
    /// while that connection is down, and for servers it cannot be used with (TLS, several endpoints, no
    /// <c>CLIENT REPLY</c>). False: everything goes through the multiplexer.
    /// </param>
    /// <param name="logger">Where the own connections' losses are logged.</param>
    /// <param name="ownSubscribeConnection">
    /// Relay live events to readers from a pub/sub connection of the bus's own, whose one receiving thread parses each
    /// message from the socket and runs the waiting reader's code (what an API wants: see
    /// <see cref="SubscribesOnOwnConnection"/>); readers must then not block. The multiplexer stands in while that
    /// connection is down, and for the servers it cannot be used with. False: readers subscribe through the multiplexer.
    /// </param>
    public RedisRunEventBus(IConnectionMultiplexer redis, RunEventBusOptions? options = null, string keyPrefix = "meshflow",
        bool ownPublishConnection = false, ILogger? logger = null, bool ownSubscribeConnection = false)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        _redis = redis;
        _options = options ?? new RunEventBusOptions();
        _prefix = keyPrefix + ":events:";
        _publisher = ownPublishConnection ? RedisEventPublisher.For(redis, logger) : null;
        _subscriber = ownSubscribeConnection ? RedisEventSubscriber.For(redis, logger) : null;
    }

    /// <summary>
    /// Whether events are, at this moment, written on the bus's own connection rather than through the multiplexer.
    /// The connection is made on the first publication, in the background; until it is up, the multiplexer publishes.
    /// </summary>
    public bool PublishesOnOwnConnection => _publisher?.IsUp == true;

    /// <summary>
    /// Whether readers, at this moment, subscribe on the bus's own connection rather than through the multiplexer. The
    /// connection is made on the first follower's subscription, in the background; until it is up, the multiplexer relays.
    /// </summary>
    public bool SubscribesOnOwnConnection => _subscriber?.IsUp == true;

    /// <summary>The bus's own publishing connection, if it was asked for one and can have one.</summary>
    internal RedisEventPublisher? Publisher => _publisher;

    /// <summary>The bus's own subscribing connection, if it was asked for one and can have one.</summary>
    internal RedisEventSubscriber? Subscriber => _subscriber;

    /// <inheritdoc />
    public ValueTask PublishAsync(string tenantId, string runId, RunEventEnvelope evt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var key = Key(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        if (evt.Seq < 1)
        {
            // Sequence numbers start at 1; like the in-process bus, nothing at or before 0 is kept.
            return ValueTask.CompletedTask;
        }

        var awaited = evt.IsTerminal || evt.Kind == MeshEventKinds.StepEnd;

        // Each command costs the relay latency: the expiry is refreshed on the first event, every so many token
        // deltas, and every awaited event, not on each delta.
        var refresh = awaited || evt.Seq % ExpiryRefreshInterval == 1;
        if (_publisher is not null && _publisher.TryPublish(key, evt, _options.MaxEventsPerRun, refresh ? _options.Retention : null, awaited, out var written))
        {
            return written is null ? ValueTask.CompletedTask : new ValueTask(written);
        }

        var db = _redis.GetDatabase();
        var flags = awaited ? CommandFlags.None : CommandFlags.FireAndForget;
        var kept = db.StreamAddAsync(key, RunEventWire.Fields(evt), RunEventWire.EntryId(evt.Seq), _options.MaxEventsPerRun, useApproximateMaxLength: true, flags);
        var expiry = refresh ? db.KeyExpireAsync(key, _options.Retention, flags) : Task.FromResult(true);
        var relayed = db.PublishAsync(RedisChannel.Literal(key), RunEventWire.Message(evt), flags);
        return awaited ? WaitAsync(kept, expiry, relayed) : ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RunEventEnvelope> ReadAsync(string tenantId, string runId, long afterSeq, bool follow = true,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var key = Key(tenantId, runId);
        var db = _redis.GetDatabase();
        if (!follow)
        {
            await foreach (var evt in KeptAsync(db, key, afterSeq, cancellationToken).ConfigureAwait(false))
            {
                yield return evt;
                if (evt.IsTerminal)
                {
                    yield break;
                }
            }

            yield break;
        }

        // Subscribed before the kept events are read: an event published meanwhile is kept, relayed, or both.
        var live = await SubscribeAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            var last = Math.Max(afterSeq, 0);
            RunEventEnvelope? next = null;
            while (true)
            {
                if (next is null || next.Seq > last + 1)
                {
                    // First, after a quiet spell, a gap in the live sequence, or a lost subscription: the kept events
                    // after the last one.
                    await foreach (var evt in KeptAsync(db, key, last, cancellationToken).ConfigureAwait(false))
                    {
                        last = evt.Seq;
                        yield return evt;
                        if (evt.IsTerminal)
                        {
                            yield break;
                        }
                    }
                }

                if (next is not null && next.Seq > last)
                {
                    last = next.Seq;
                    yield return next;
                    if (next.IsTerminal)
                    {
                        yield break;
                    }
                }

                // Skips what was already yielded; null after a quiet spell, or once the subscription is made again.
                do
                {
                    var got = await live.NextAsync(cancellationToken).ConfigureAwait(false);
                    next = got.Event;
                    if (got.Lost)
                    {
                        var lost = live;
                        live = null;
                        await lost.DisposeAsync().ConfigureAwait(false);
                        live = await SubscribeAsync(key, cancellationToken).ConfigureAwait(false);
                    }
                }
                while (next is not null && next.Seq <= last);
            }
        }
        finally
        {
            if (live is not null)
            {
                await live.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<long> LastSeqAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var entries = await _redis.GetDatabase().StreamRangeAsync(Key(tenantId, runId), "-", "+", 1, Order.Descending).ConfigureAwait(false);
        return entries.Length > 0 && RunEventWire.FromEntry(entries[0]) is { } last ? last.Seq : 0;
    }

    /// <summary>Closes the bus's own connections, if it has them (the multiplexer is not the bus's to close).</summary>
    public void Dispose()
    {
        _publisher?.Dispose();
        _subscriber?.Dispose();
    }

    private static async ValueTask WaitAsync(Task kept, Task expiry, Task relayed)
    {
        try
        {
            await kept.ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.Contains("equal or smaller", StringComparison.Ordinal))
        {
            // Already kept: published twice. Readers drop the relayed duplicate by its sequence number.
        }

        await expiry.ConfigureAwait(false);
        await relayed.ConfigureAwait(false);
    }

    // The run's channel, on the bus's own connection when it is up, else through the multiplexer.
    private async ValueTask<LiveFeed> SubscribeAsync(string key, CancellationToken cancellationToken)
    {
        if (_subscriber is not null && await _subscriber.SubscribeAsync(key, cancellationToken).ConfigureAwait(false) is { } own)
        {
            return new OwnFeed(own);
        }

        return new MultiplexerFeed(await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(key)).ConfigureAwait(false), cancellationToken);
    }

    /// <summary>A follower's live events: the next one, nothing after <see cref="QuietReread"/>, or the subscription lost.</summary>
    private abstract class LiveFeed : IAsyncDisposable
    {
        public abstract ValueTask<RedisEventSubscriber.LiveNext> NextAsync(CancellationToken cancellationToken);

        public abstract ValueTask DisposeAsync();
    }

    private sealed class OwnFeed(RedisEventSubscriber.Live live) : LiveFeed
    {
        public override ValueTask<RedisEventSubscriber.LiveNext> NextAsync(CancellationToken cancellationToken) => live.NextAsync(QuietReread);

        public override ValueTask DisposeAsync()
        {
            live.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class MultiplexerFeed(ChannelMessageQueue live, CancellationToken cancellationToken) : LiveFeed
    {
        private CancellationTokenSource _quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        public override async ValueTask<RedisEventSubscriber.LiveNext> NextAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                ChannelMessage message;
                if (!live.TryRead(out message))
                {
                    _quiet.CancelAfter(QuietReread);
                    try
                    {
                        message = await live.ReadAsync(_quiet.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        _quiet.Dispose();
                        _quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        return default;
                    }

                    if (!_quiet.TryReset())
                    {
                        // The quiet timer fired just as the message arrived.
                        _quiet.Dispose();
                        _quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    }
                }

                if (RunEventWire.FromMessage(message.Message) is { } evt)
                {
                    return new RedisEventSubscriber.LiveNext(evt, false);
                }
            }
        }

        public override async ValueTask DisposeAsync()
        {
            _quiet.Dispose();
            await live.UnsubscribeAsync(CommandFlags.FireAndForget).ConfigureAwait(false);
        }
    }

    private static async IAsyncEnumerable<RunEventEnvelope> KeptAsync(IDatabase db, RedisKey key, long afterSeq,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = Math.Max(afterSeq, 0);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = await db.StreamRangeAsync(key, RunEventWire.EntryId(last + 1), "+", PageSize).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                if (RunEventWire.FromEntry(entry) is { } evt && evt.Seq > last)
                {
                    last = evt.Seq;
                    yield return evt;
                }
            }

            if (entries.Length < PageSize)
            {
                yield break;
            }
        }
    }

    private string Key(string tenantId, string runId) => RunKeys.Of(_prefix, tenantId, runId);
}
