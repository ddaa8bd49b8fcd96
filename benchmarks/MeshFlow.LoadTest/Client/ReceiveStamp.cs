using System.Diagnostics;

namespace MeshFlow.LoadTest.Client;

/// <summary>When bytes arrived: the monotonic clock (for intervals) and the wall clock (to compare with an event's <c>ts</c>).</summary>
internal readonly record struct ReceiveStamp(long Ticks, DateTimeOffset Utc)
{
    public static ReceiveStamp Now() => new(Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow);

    /// <summary>The wall clock in microseconds since the Unix epoch.</summary>
    public long UnixMicroseconds => (Utc.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public double MillisecondsSince(long ticks) => Stopwatch.GetElapsedTime(ticks, Ticks).TotalMilliseconds;
}
