using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

public sealed partial class RedisRunQueue
{
    private async Task RenewLoopAsync()
    {
        var stopping = _stopping.Token;
        using var timer = new PeriodicTimer(_options.RenewInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await RenewAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    RedisRuntimeLog.RenewalFailed(_logger, _delivered.Count, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <summary>
    /// Resets the idle time of the delivered entries that are still their consumers' (XCLAIM to the same consumer
    /// with JUSTID, which leaves the delivery count alone), so no other consumer claims them. Entries acknowledged
    /// elsewhere, or taken over by another consumer after this one stalled, are forgotten here.
    /// </summary>
    private async Task RenewAsync()
    {
        if (_delivered.IsEmpty)
        {
            return;
        }

        var db = _redis.GetDatabase();
        var delivered = _delivered.ToArray();
        RedisValue[] owners;
        try
        {
            owners = await Task.WhenAll(delivered.Select(entry => OwnerAsync(db, entry.Key))).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (IsNoGroup(e))
        {
            RedisRuntimeLog.GroupLost(_logger, delivered.Length);
            _groupReady = false;
            foreach (var entry in delivered)
            {
                _delivered.TryRemove(entry);
            }

            return;
        }

        var stillOurs = new Dictionary<string, List<RedisValue>>(StringComparer.Ordinal);
        for (var i = 0; i < delivered.Length; i++)
        {
            var (entryId, consumer) = delivered[i];
            if (owners[i] != consumer)
            {
                _delivered.TryRemove(delivered[i]);
                continue;
            }

            if (!stillOurs.TryGetValue(consumer, out var ids))
            {
                stillOurs[consumer] = ids = [];
            }

            ids.Add(entryId);
        }

        foreach (var (consumer, ids) in stillOurs)
        {
            await db.StreamClaimIdsOnlyAsync(_stream, _group, consumer, 0, [.. ids]).ConfigureAwait(false);
        }
    }

    private async Task<RedisValue> OwnerAsync(IDatabase db, string entryId)
    {
        var pending = await db.StreamPendingMessagesAsync(_stream, _group, 1, RedisValue.Null, entryId, entryId).ConfigureAwait(false);
        return pending.Length > 0 ? pending[0].ConsumerName : RedisValue.Null;
    }
}
