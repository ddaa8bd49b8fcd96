using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

/// <summary>
/// A run's execution lease, held in <c>&lt;prefix&gt;:lease:&lt;tenant&gt;/&lt;run&gt;</c> under a token of its own
/// holder. It renews itself every third of the lease time while its holder lives; disposing it releases it, but
/// only while it is still this holder's.
/// </summary>
internal sealed class RedisRunLease : IAsyncDisposable
{
    private readonly IDatabase _db;
    private readonly RedisKey _key;
    private readonly RedisValue _token;
    private readonly TimeSpan _leaseTime;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _renewing;
    private readonly Task _renewals;
    private int _disposed;

    public RedisRunLease(IDatabase db, RedisKey key, RedisValue token, TimeSpan leaseTime, ILogger logger, CancellationToken holderStopping)
    {
        _db = db;
        _key = key;
        _token = token;
        _leaseTime = leaseTime;
        _logger = logger;

        // The holder stopping (its queue disposed) stops the renewals without releasing: the lease lapses, as when
        // a worker dies.
        _renewing = CancellationTokenSource.CreateLinkedTokenSource(holderStopping);
        _renewals = Task.Run(RenewAsync, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _renewing.CancelAsync().ConfigureAwait(false);
        await _renewals.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _renewing.Dispose();
        await _db.ScriptEvaluateAsync(RedisQueueScripts.ReleaseLease, [_key], [_token], CommandFlags.NoScriptCache).ConfigureAwait(false);
    }

    private async Task RenewAsync()
    {
        var milliseconds = ((long)_leaseTime.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        using var timer = new PeriodicTimer(_leaseTime / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(_renewing.Token).ConfigureAwait(false))
            {
                try
                {
                    var extended = (long)await _db.ScriptEvaluateAsync(
                        RedisQueueScripts.ExtendLease, [_key], [_token, milliseconds], CommandFlags.NoScriptCache).ConfigureAwait(false);
                    if (extended == 0)
                    {
                        RedisRuntimeLog.LeaseLost(_logger, _key.ToString());
                        return;
                    }
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    RedisRuntimeLog.LeaseRenewalFailed(_logger, _key.ToString(), e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Released or its holder stopped.
        }
    }
}
