using System.Diagnostics;
using MeshFlow.LoadTest.Topology;

namespace MeshFlow.LoadTest.Measurements;

/// <summary>
/// A warm-up, then the measured interval: what happens in it counts, what happens before or after does not. The
/// warm-up lasts at least its minimum and then until the services' JIT has settled (<see cref="ServiceJit"/>), up to
/// its maximum: how long that takes depends on the machine (on this 2-core box from 20 s to over a minute), and a
/// window opened while the JIT still takes a fifth of the CPU measures the JIT.
/// </summary>
internal sealed class LoadWindow(TimeSpan minimumWarmup, TimeSpan maximumWarmup, TimeSpan duration)
{
    private readonly long _created = Stopwatch.GetTimestamp();
    private long _start = long.MaxValue;
    private long _end = long.MaxValue;

    public TimeSpan Duration { get; } = duration;

    /// <summary>Whether clients should still start new work.</summary>
    public bool Open => Stopwatch.GetTimestamp() < Volatile.Read(ref _end);

    public bool Contains(long ticks) => ticks >= Volatile.Read(ref _start) && ticks < Volatile.Read(ref _end);

    /// <summary>
    /// Waits out the warm-up, opens the measured interval and says on <paramref name="log"/> how long the warm-up
    /// took and how busy the JIT still was; <see cref="UntilEndAsync"/> waits for the interval to end.
    /// </summary>
    /// <param name="log">Where the warm-up is described.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <param name="beforeOpening">Runs once the warm-up is over, just before the interval opens.</param>
    public async Task UntilStartAsync(TextWriter log, CancellationToken cancellationToken, Func<Task>? beforeOpening = null)
    {
        await ServiceJit.UntilSettledAsync(_created, minimumWarmup, maximumWarmup, log, cancellationToken);
        if (beforeOpening is not null)
        {
            await beforeOpening();
        }

        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref _end, start + (long)(Duration.TotalSeconds * Stopwatch.Frequency));
        Volatile.Write(ref _start, start);
    }

    public Task UntilEndAsync(CancellationToken cancellationToken)
    {
        var end = Volatile.Read(ref _end);
        if (end == long.MaxValue)
        {
            throw new InvalidOperationException("The measured interval has not started.");
        }

        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), end);
        return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
    }
}
