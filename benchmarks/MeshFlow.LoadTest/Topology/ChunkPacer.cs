using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace MeshFlow.LoadTest.Topology;

/// <summary>
/// Wakes paced streams when their next chunk is due, to within a fraction of a millisecond: one thread sleeps on the
/// monotonic clock until the earliest due time, then hands that stream its tick.
/// </summary>
/// <remarks>
/// .NET's timers (<see cref="PeriodicTimer"/>, <see cref="Timer"/>) cannot pace a stand-in for remote models: they read a
/// coarse clock (on Linux <c>CLOCK_MONOTONIC_COARSE</c>, one kernel tick: 4 ms on this machine's 250 Hz kernel), so
/// 100 streams paced 20 ms apart fired in clumps every 4 ms. Half of all milliseconds then had no chunk at all and the
/// rest up to 40, so about 20 tokens entered worker, Redis, api and client at the same instant, and the last of them
/// queued behind the others at every stage. Remote models' streams are independent: their tokens arrive spread out.
/// </remarks>
internal sealed class ChunkPacer : IDisposable
{
    // A stream added while the thread sleeps is seen within this long (its first tick is a whole pace away).
    private static readonly long MaxSleep = Stopwatch.Frequency / 500;

    private readonly object _gate = new();
    private readonly PriorityQueue<Ticker, long> _due = new();
    private readonly Thread _thread;
    private bool _disposed;

    public ChunkPacer()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "paced llm clock" };
        _thread.Start();
    }

    /// <summary>A ticker for one stream; it stops ticking (and its waits return false) once <paramref name="cancellationToken"/> is cancelled.</summary>
    public Ticker CreateTicker(CancellationToken cancellationToken) => new(this, cancellationToken);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
        lock (_gate)
        {
            while (_due.TryDequeue(out var ticker, out _))
            {
                ticker.Fire(false);
            }
        }
    }

    private void Schedule(Ticker ticker, long due)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                ticker.Fire(false);
                return;
            }

            _due.Enqueue(ticker, due);
            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        while (true)
        {
            Ticker? ticker;
            long due, now;
            lock (_gate)
            {
                while (_due.Count == 0 && !_disposed)
                {
                    Monitor.Wait(_gate);
                }

                if (_disposed)
                {
                    return;
                }

                _due.TryPeek(out ticker, out due);
                now = Stopwatch.GetTimestamp();
                if (due <= now)
                {
                    _due.Dequeue();
                }
                else
                {
                    ticker = null;
                }
            }

            if (ticker is not null)
            {
                ticker.Fire(true);
            }
            else
            {
                SleepUntil(Math.Min(due, now + MaxSleep));
            }
        }
    }

    private static void SleepUntil(long timestamp)
    {
        // On Linux, Stopwatch reads CLOCK_MONOTONIC in nanoseconds: sleep to that instant exactly.
        if (OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000)
        {
            var until = new TimeSpec { Seconds = timestamp / 1_000_000_000, Nanoseconds = timestamp % 1_000_000_000 };
            _ = ClockNanosleep(ClockMonotonic, TimerAbsoluteTime, ref until, IntPtr.Zero);
            return;
        }

        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        Thread.Sleep(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
    }

    private const int ClockMonotonic = 1;
    private const int TimerAbsoluteTime = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for one benchmark-only call.
    [DllImport("libc", EntryPoint = "clock_nanosleep")]
    private static extern int ClockNanosleep(int clock, int flags, ref TimeSpec request, IntPtr remain);
#pragma warning restore SYSLIB1054

    /// <summary>One stream's ticks: wait for one at a time, each at an absolute <see cref="Stopwatch"/> timestamp.</summary>
    internal sealed class Ticker : IValueTaskSource<bool>, IDisposable
    {
        private readonly ChunkPacer _pacer;
        private readonly CancellationTokenRegistration _cancellation;
        // The stream's code (write the chunk, send it) runs on the clock's thread, as a remote model's server sends
        // without a hand-off: dispatching each tick to the thread pool woke a pool thread per chunk.
        private ManualResetValueTaskSourceCore<bool> _core;
        private int _waiting;
        private volatile bool _cancelled;

        public Ticker(ChunkPacer pacer, CancellationToken cancellationToken)
        {
            _pacer = pacer;
            _cancellation = cancellationToken.UnsafeRegister(static state =>
            {
                var ticker = (Ticker)state!;
                ticker._cancelled = true;
                ticker.Fire(false);
            }, this);
        }

        /// <summary>True at <paramref name="timestamp"/>; false at once, or as soon as, the stream is cancelled.</summary>
        public ValueTask<bool> WaitUntilAsync(long timestamp)
        {
            if (_cancelled)
            {
                return new ValueTask<bool>(false);
            }

            _core.Reset();
            Volatile.Write(ref _waiting, 1);
            var wait = new ValueTask<bool>(this, _core.Version);
            if (_cancelled)
            {
                Fire(false);
            }
            else
            {
                _pacer.Schedule(this, timestamp);
            }

            return wait;
        }

        // Completes the current wait once: the clock and a cancellation may both try.
        internal void Fire(bool result)
        {
            if (Interlocked.Exchange(ref _waiting, 0) == 1)
            {
                _core.SetResult(result);
            }
        }

        public void Dispose() => _cancellation.Dispose();

        bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
