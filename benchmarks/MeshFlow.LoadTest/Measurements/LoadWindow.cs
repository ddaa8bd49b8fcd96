using System.Diagnostics;

namespace MeshFlow.LoadTest.Measurements;

/// <summary>A warm-up, then the measured interval: what happens in it counts, what happens before or after does not.</summary>
internal sealed class LoadWindow(TimeSpan warmup, TimeSpan duration)
{
    private readonly long _start = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);

    public TimeSpan Duration { get; } = duration;

    private long End => _start + (long)(Duration.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Whether clients should still start new work.</summary>
    public bool Open => Stopwatch.GetTimestamp() < End;

    public bool Contains(long ticks) => ticks >= _start && ticks < End;

    /// <summary>Waits for the measured interval to begin; <see cref="UntilEndAsync"/> for it to end.</summary>
    public Task UntilStartAsync(CancellationToken cancellationToken) => Until(_start, cancellationToken);

    public Task UntilEndAsync(CancellationToken cancellationToken) => Until(End, cancellationToken);

    private static Task Until(long ticks, CancellationToken cancellationToken)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), ticks);
        return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
    }
}
