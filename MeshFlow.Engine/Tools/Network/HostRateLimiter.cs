namespace MeshFlow.Tools.Network;

/// <summary>
/// At most a set number of requests a second to one host: a request reserves the next free slot of its host and waits
/// for it on the injected clock, so tests move time with a fake one.
/// </summary>
/// <remarks>
/// The rate <c>r</c> becomes a window: at most <c>max(1, floor(r))</c> requests start in any <c>max(1, floor(r)) / r</c>
/// seconds. Slots are handed out in order of arrival; a caller whose token ends while waiting gives up its slot's wait
/// (the slot stays spent, which only errs on the polite side).
/// </remarks>
internal sealed class HostRateLimiter(double requestsPerSecond, TimeProvider time)
{
    private const int PruneAbove = 1024;

    private readonly int _burst = Math.Max(1, (int)Math.Floor(requestsPerSecond));
    private readonly Dictionary<string, Queue<DateTimeOffset>> _slots = new(StringComparer.OrdinalIgnoreCase);

    private TimeSpan Window => TimeSpan.FromSeconds(_burst / requestsPerSecond);

    /// <summary>Waits until a request to <paramref name="host"/> may start.</summary>
    public async ValueTask WaitAsync(string host, CancellationToken cancellationToken)
    {
        if (requestsPerSecond <= 0 || double.IsPositiveInfinity(requestsPerSecond))
        {
            return;
        }

        var delay = Reserve(host);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Reserve(string host)
    {
        lock (_slots)
        {
            var now = time.GetUtcNow();
            if (_slots.Count > PruneAbove)
            {
                // Hosts whose last slot is a window old no longer constrain anything.
                foreach (var stale in _slots.Where(pair => pair.Value.Count == 0 || pair.Value.Last() + Window <= now).Select(pair => pair.Key).ToList())
                {
                    _slots.Remove(stale);
                }
            }

            if (!_slots.TryGetValue(host, out var slots))
            {
                _slots[host] = slots = new Queue<DateTimeOffset>(_burst);
            }

            var start = now;
            if (slots.Count == _burst)
            {
                var oldest = slots.Dequeue() + Window;
                if (oldest > start)
                {
                    start = oldest;
                }
            }

            slots.Enqueue(start);
            return start - now;
        }
    }
}
