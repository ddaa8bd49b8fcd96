using MeshFlow.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

/// <summary>
/// The distributed run signals: a cancellation request is a key that outlives the request, and a message on one
/// channel that every worker listens to through a single subscription.
/// </summary>
/// <remarks>
/// A request sets <c>&lt;prefix&gt;:cancel:&lt;tenant&gt;/&lt;run&gt;</c> (for a day) and publishes
/// <c>&lt;tenant&gt;/&lt;run&gt;</c> on the channel <c>&lt;prefix&gt;:cancel</c>. A subscriber whose run's key already exists
/// is called at once; each subscription's callback runs at most once.
/// </remarks>
public sealed class RedisRunSignals : IRunSignals, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan RequestLifetime = TimeSpan.FromDays(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger _logger;
    private readonly string _keyPrefix;
    private readonly RedisChannel _channel;
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private readonly Dictionary<string, List<Subscription>> _subscriptions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Task? _subscribed;

    /// <summary>Creates the signals over <paramref name="redis"/>, which they use but do not own.</summary>
    /// <param name="redis">The shared multiplexer.</param>
    /// <param name="keyPrefix">The prefix of the keys and the channel (default <c>meshflow</c>).</param>
    /// <param name="logger">Where failing callbacks are reported.</param>
    public RedisRunSignals(IConnectionMultiplexer redis, string keyPrefix = "meshflow", ILogger<RedisRunSignals>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        _redis = redis;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _keyPrefix = keyPrefix + ":cancel:";
        _channel = RedisChannel.Literal(keyPrefix + ":cancel");
        _onMessage = (_, runKey) => Dispatch(runKey.ToString());
    }

    /// <inheritdoc />
    public async Task RequestCancelAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var runKey = RunKeys.Of(tenantId, runId);
        var db = _redis.GetDatabase();

        // Pipelined on one connection: the key is set before any subscriber hears the message.
        var recorded = db.StringSetAsync(_keyPrefix + runKey, 1, RequestLifetime);
        var told = db.PublishAsync(_channel, runKey);
        await recorded.ConfigureAwait(false);
        await told.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> IsCancelRequestedAsync(string tenantId, string runId, CancellationToken cancellationToken = default) =>
        _redis.GetDatabase().KeyExistsAsync(_keyPrefix + RunKeys.Of(tenantId, runId));

    /// <inheritdoc />
    public async Task<IAsyncDisposable> SubscribeAsync(string tenantId, string runId, Action onCancel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onCancel);
        var runKey = RunKeys.Of(tenantId, runId);
        var subscription = new Subscription(this, runKey, onCancel);
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(runKey, out var list))
            {
                _subscriptions[runKey] = list = [];
            }

            list.Add(subscription);
        }

        try
        {
            await EnsureSubscribedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

            // Listening first, then looking: a request made before the subscription is found here, one made after
            // arrives as a message, and one in between may do both (the callback still runs once).
            if (await IsCancelRequestedAsync(tenantId, runId, cancellationToken).ConfigureAwait(false))
            {
                subscription.Fire();
            }
        }
        catch
        {
            subscription.Remove();
            throw;
        }

        return subscription;
    }

    /// <inheritdoc />
    public Task ClearAsync(string tenantId, string runId, CancellationToken cancellationToken = default) =>
        _redis.GetDatabase().KeyDeleteAsync(_keyPrefix + RunKeys.Of(tenantId, runId));

    /// <summary>Stops listening on the cancel channel. The multiplexer stays open.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc cref="DisposeAsync" />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_subscribed is null)
            {
                return;
            }

            _subscribed = null;
        }

        _redis.GetSubscriber().Unsubscribe(_channel, _onMessage, CommandFlags.FireAndForget);
    }

    private Task EnsureSubscribedAsync()
    {
        lock (_gate)
        {
            if (_subscribed is null || _subscribed.IsFaulted || _subscribed.IsCanceled)
            {
                _subscribed = _redis.GetSubscriber().SubscribeAsync(_channel, _onMessage);
            }

            return _subscribed;
        }
    }

    private void Dispatch(string runKey)
    {
        Subscription[] subscriptions;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(runKey, out var list))
            {
                return;
            }

            subscriptions = [.. list];
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Fire();
        }
    }

    private sealed class Subscription(RedisRunSignals signals, string runKey, Action onCancel) : IAsyncDisposable
    {
        private int _done;

        public void Fire()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
            {
                return;
            }

            try
            {
                onCancel();
            }
#pragma warning disable CA1031 // A failing callback must not keep the other runs' callbacks from running.
            catch (Exception e)
#pragma warning restore CA1031
            {
                RedisRuntimeLog.CancelCallbackFailed(signals._logger, runKey, e);
            }
        }

        public void Remove()
        {
            Interlocked.Exchange(ref _done, 1);
            lock (signals._gate)
            {
                if (signals._subscriptions.TryGetValue(runKey, out var list) && list.Remove(this) && list.Count == 0)
                {
                    signals._subscriptions.Remove(runKey);
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            Remove();
            return ValueTask.CompletedTask;
        }
    }
}
