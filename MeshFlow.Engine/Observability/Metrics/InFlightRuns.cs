using System.Collections.Concurrent;

namespace MeshFlow.Observability.Metrics;

/// <summary>
/// Runs in flight per worker: this process's own workers counted as they take and let go runs, other processes'
/// workers as they last reported, until their report is older than its lifetime (a worker that stopped reporting
/// leaves the gauge).
/// </summary>
internal sealed class InFlightRuns(TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, long> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Count, DateTimeOffset Expires)> _reported = new(StringComparer.Ordinal);

    public void Change(string worker, int delta) => _local.AddOrUpdate(worker, Math.Max(0, delta), (_, n) => Math.Max(0, n + delta));

    public void Report(string worker, long count) => _reported[worker] = (Math.Max(0, count), time.GetUtcNow() + lifetime);

    public KeyValuePair<string, long>[] Local() => [.. _local];

    public KeyValuePair<string, long>[] Snapshot()
    {
        var now = time.GetUtcNow();
        var all = new Dictionary<string, long>(_local, StringComparer.Ordinal);
        foreach (var (worker, report) in _reported)
        {
            if (report.Expires <= now)
            {
                _reported.TryRemove(new KeyValuePair<string, (long, DateTimeOffset)>(worker, report));
                continue;
            }

            all.TryAdd(worker, report.Count);
        }

        return [.. all];
    }
}
