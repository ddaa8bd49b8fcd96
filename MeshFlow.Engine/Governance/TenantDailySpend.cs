using System.Collections.Concurrent;

namespace MeshFlow.Governance;

/// <summary>
/// What each tenant has spent today (UTC), for <see cref="Policy.MaxDailyCostUsd"/>: read from the governance store
/// (every worker's committed steps), at most once a second per tenant, plus what this process spent since.
/// </summary>
public sealed class TenantDailySpend(IGovernanceStore store, TimeProvider? timeProvider = null)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Entry> _tenants = new(StringComparer.Ordinal);

    /// <summary>The tenant's spend since today's midnight UTC.</summary>
    public async ValueTask<decimal> TodayAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var entry = _tenants.GetOrAdd(tenantId, static _ => new Entry());
        lock (entry)
        {
            if (entry.Day == day && now - entry.ReadAt < Refresh)
            {
                return entry.Stored + entry.Local;
            }
        }

        var stored = await store.ReadTenantSpendAsync(tenantId, day, cancellationToken).ConfigureAwait(false);
        lock (entry)
        {
            // Steps commit their record right after their cost is counted here, so a store that has seen spend holds
            // this process's too; a store that has seen none (one without a ledger) leaves the local count standing.
            entry.Local = entry.Day == day && stored == 0 ? entry.Local : 0;
            entry.Day = day;
            entry.Stored = stored;
            entry.ReadAt = now;
            return entry.Stored + entry.Local;
        }
    }

    /// <summary>Counts a step's cost at once, before the next read of the store.</summary>
    public void Add(string tenantId, decimal costUsd)
    {
        if (costUsd <= 0)
        {
            return;
        }

        var entry = _tenants.GetOrAdd(tenantId, static _ => new Entry());
        lock (entry)
        {
            entry.Local += costUsd;
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset Day;
        public DateTimeOffset ReadAt;
        public decimal Stored;
        public decimal Local;
    }
}
