using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using MeshFlow.Observability;
using MeshFlow.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

/// <summary>
/// The distributed run queue: a Redis stream read through a consumer group, over one shared
/// <see cref="IConnectionMultiplexer"/>.
/// </summary>
/// <remarks>
/// <para>
/// Keys (prefix <see cref="RedisRunQueueOptions.KeyPrefix"/>, <c>meshflow</c> by default): the stream
/// <c>meshflow:runs</c> holds one entry per queued run (field <c>request</c>: the <see cref="RunRequest"/> as JSON),
/// read by the group <see cref="RedisRunQueueOptions.ConsumerGroup"/>, created on first use; the hash
/// <c>meshflow:runs:held</c> maps <c>&lt;tenant&gt;/&lt;run&gt;</c> to the number of entries of that run the queue
/// holds (written with the entry in one transaction); an idle consumer waits in <c>XREADGROUP ... BLOCK</c> on a
/// connection of the queue's own (client name: the shared connection's, or <c>meshflow</c>, then <c>-queue</c>), or,
/// without it, wakes on the channel <c>meshflow:runs:wake</c>; leases are <c>meshflow:lease:&lt;tenant&gt;/&lt;run&gt;</c>; dead letters go to the stream
/// <c>meshflow:runs:dead</c> (fields <c>request</c>, <c>reason</c>, <c>delivery_count</c>, <c>original_id</c>).
/// </para>
/// <para>
/// An entry is pending from its delivery until acknowledged. This queue renews the entries it delivered every
/// <see cref="RedisRunQueueOptions.RenewInterval"/> while they are still its consumers'; an entry idle for
/// <see cref="RedisRunQueueOptions.ClaimIdleTime"/> belongs to a dead consumer and is claimed by the next read.
/// Disposing the queue stops the renewals of its entries and leases without releasing them, as a dying worker
/// would: they pass to other consumers once idle.
/// </para>
/// </remarks>
public sealed partial class RedisRunQueue : IRunQueue, IAsyncDisposable, IDisposable
{
    private const string RequestField = "request";

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisRunQueueOptions _options;
    private readonly ILogger _logger;
    private readonly RedisKey _stream;
    private readonly RedisKey _held;
    private readonly RedisKey _deadLetters;
    private readonly RedisValue _group;
    private readonly RedisChannel _wakeChannel;
    private readonly Action<RedisChannel, RedisValue> _onWake;

    // The entries this queue delivered and that are not yet acknowledged: entry id → consumer.
    private readonly ConcurrentDictionary<string, string> _delivered = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _renewals;
    private int _disposed;

    /// <summary>Creates a queue over <paramref name="redis"/>, which it uses but does not own.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (<see cref="RedisRunQueueOptions.ClaimIdleTime"/> not above <see cref="RedisRunQueueOptions.RenewInterval"/>).</exception>
    public RedisRunQueue(IConnectionMultiplexer redis, RedisRunQueueOptions? options = null, ILogger<RedisRunQueue>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _options = options ?? new RedisRunQueueOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _stream = _options.RunsStreamKey;
        _held = _options.HeldKey;
        _deadLetters = _options.DeadLetterKey;
        _group = _options.ConsumerGroup;
        _wakeChannel = RedisChannel.Literal(_options.WakeChannel);
        _onWake = (_, _) => Wake();
        _renewals = Task.Run(RenewLoopAsync, CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task EnqueueAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var runKey = RunKeys.Of(request.TenantId, request.RunId);
        cancellationToken.ThrowIfCancellationRequested();

        var db = _redis.GetDatabase();
        var transaction = db.CreateTransaction();
        var added = transaction.StreamAddAsync(_stream, RequestField, JsonSerializer.Serialize(request));
        var held = transaction.HashIncrementAsync(_held, runKey);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        QueueTelemetry.TagMessageId((string?)await added.ConfigureAwait(false));
        await held.ConfigureAwait(false);

        // After the commit, on the same connection: a woken consumer finds the entry.
        await db.PublishAsync(_wakeChannel, runKey, CommandFlags.FireAndForget).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public string MessagingSystem => "redis";

    /// <inheritdoc />
    public string DestinationName => _options.RunsStreamKey;

    /// <inheritdoc />
    public async Task AcknowledgeAsync(QueuedRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);

        // Forgotten first: if the acknowledgement fails, the entry lapses to another consumer, which finds the
        // run's outcome in the ledger, rather than being renewed here forever.
        _delivered.TryRemove(run.DeliveryId, out _);
        await _redis.GetDatabase().ScriptEvaluateAsync(
            RedisQueueScripts.Acknowledge,
            [_stream, _held],
            [_group, run.DeliveryId, RunKeys.Of(run.Request.TenantId, run.Request.RunId)],
            CommandFlags.NoScriptCache).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task DeadLetterAsync(QueuedRun run, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(reason);
        return DeadLetterAsync(
            run.DeliveryId,
            RunKeys.Of(run.Request.TenantId, run.Request.RunId),
            JsonSerializer.Serialize(run.Request),
            reason,
            run.DeliveryCount);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The lease is the key <c>&lt;prefix&gt;:lease:&lt;tenant&gt;/&lt;run&gt;</c> holding <c>&lt;consumer&gt;#&lt;token&gt;</c>
    /// with a time to live of <see cref="RedisRunQueueOptions.LeaseTime"/>.
    /// </remarks>
    public async Task<IAsyncDisposable?> TryLeaseAsync(string tenantId, string runId, string consumer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var key = _options.LeaseKey(RunKeys.Of(tenantId, runId));
        var token = consumer + "#" + Guid.NewGuid().ToString("N");
        var db = _redis.GetDatabase();
        if (!await db.StringSetAsync(key, token, _options.LeaseTime, When.NotExists).ConfigureAwait(false))
        {
            return null;
        }

        return new RedisRunLease(db, key, token, _options.LeaseTime, _logger, _stopping.Token);
    }

    /// <inheritdoc />
    public async Task<long> DepthAsync(CancellationToken cancellationToken = default)
    {
        // An acknowledged entry is deleted, so the stream holds what waits plus what is delivered and unacknowledged;
        // one script reads both counts at one moment.
        var depth = await _redis.GetDatabase().ScriptEvaluateAsync(RedisQueueScripts.Depth, [_stream], [_group], CommandFlags.NoScriptCache)
            .ConfigureAwait(false);
        return Math.Max(0, (long)depth);
    }

    /// <inheritdoc />
    public Task<bool> HoldsAsync(string tenantId, string runId, CancellationToken cancellationToken = default) =>
        _redis.GetDatabase().HashExistsAsync(_held, RunKeys.Of(tenantId, runId));

    /// <summary>
    /// Stops renewing this queue's delivered entries and leases, without acknowledging or releasing them, and stops
    /// listening for wake-ups. The multiplexer stays open.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!BeginDispose())
        {
            return;
        }

        await _renewals.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await DropBlockingConnectionAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <inheritdoc cref="DisposeAsync" />
    public void Dispose()
    {
        // The renewal loop ends on its own once stopped; nothing here needs waiting for.
        if (BeginDispose() && Interlocked.Exchange(ref _blocking, null) is { } blocking)
        {
            blocking.Close(allowCommandsToComplete: false);
            blocking.Dispose();
        }
    }

    private bool BeginDispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }

        _stopping.Cancel();
        _redis.GetSubscriber().Unsubscribe(_wakeChannel, _onWake, CommandFlags.FireAndForget);
        return true;
    }

    private async Task DeadLetterAsync(string entryId, string runKey, string request, string reason, int deliveryCount)
    {
        _delivered.TryRemove(entryId, out _);
        await _redis.GetDatabase().ScriptEvaluateAsync(
            RedisQueueScripts.DeadLetter,
            [_stream, _held, _deadLetters],
            [_group, entryId, runKey, request, reason, deliveryCount.ToString(CultureInfo.InvariantCulture)],
            CommandFlags.NoScriptCache).ConfigureAwait(false);
    }
}
