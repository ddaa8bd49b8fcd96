using System.Diagnostics;
using System.Globalization;

namespace MeshFlow.LoadTest.Topology;

/// <summary>
/// How much CPU the services' JIT is using: the CPU time of the runtime's tiered-compilation thread (<c>.NET Tiered
/// Com</c>, the one that recompiles hot methods optimised) in the api and the workers. While it is busy the services
/// are still warming up: on two shared cores it takes a minute or more of load to settle, and a figure taken before
/// that measures the JIT, not MeshFlow.
/// </summary>
internal static class ServiceJit
{
    // The thread's comm, as the runtime names it ("Tiered Compilation Worker", cut to 15 characters by the kernel).
    private const string CompilerThread = ".NET Tiered Com";

    /// <summary>Settled: the services' tiered compilation used at most this share of one core over <see cref="SettleSpan"/>.</summary>
    public const double SettledCoreShare = 0.02;

    private static readonly TimeSpan SettleSpan = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Waits until at least <paramref name="minimum"/> has passed since <paramref name="since"/> (a Stopwatch timestamp)
    /// and the JIT has settled, or until <paramref name="maximum"/> has passed; then says on <paramref name="log"/> how
    /// long that took and how busy the JIT still was.
    /// </summary>
    public static async Task UntilSettledAsync(long since, TimeSpan minimum, TimeSpan maximum, TextWriter log, CancellationToken cancellationToken)
    {
        // One sample a second; settled when the last SettleSpan's worth of samples shows little compilation.
        var samples = new Queue<Dictionary<(int Pid, int Tid), long>>();
        var spanSamples = (int)SettleSpan.TotalSeconds;
        double share;
        while (true)
        {
            samples.Enqueue(CompilerTicks());
            if (samples.Count > spanSamples + 1)
            {
                samples.Dequeue();
            }

            share = samples.Count > spanSamples
                ? Used(samples.Peek(), samples.Last()) / ProcessTree.TicksPerSecond / SettleSpan.TotalSeconds
                : double.PositiveInfinity;
            var elapsed = Stopwatch.GetElapsedTime(since);
            if ((elapsed >= minimum && share <= SettledCoreShare) || elapsed >= maximum)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        var jit = double.IsInfinity(share)
            ? "not yet measured"
            : string.Create(CultureInfo.InvariantCulture, $"{share:P1} of a core over the last {SettleSpan.TotalSeconds:0} s");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  warm-up: {Stopwatch.GetElapsedTime(since).TotalSeconds:F0} s; the services' JIT (tiered compilation, api + workers) then used {jit}") +
            (share <= SettledCoreShare ? string.Empty : string.Create(CultureInfo.InvariantCulture,
                $": the window opened at the {maximum.TotalSeconds:0} s cap before the JIT settled (≤ {SettledCoreShare:P0}), so the figures below include it")));
    }

    /// <summary>Each tiered-compilation thread's CPU time so far, in clock ticks, in the api and the workers.</summary>
    public static Dictionary<(int Pid, int Tid), long> CompilerTicks()
    {
        var ticks = new Dictionary<(int Pid, int Tid), long>();
        foreach (var process in ProcessTree.Topology().Where(p => p.Role is "api" or "worker"))
        {
            ThreadTicks(process.Pid, ticks);
        }

        return ticks;
    }

    // Ticks used between two samples, thread by thread: the runtime ends an idle compilation thread and starts another
    // when there is work again, so the sum over the threads alive at each sample can go down. A thread that ended in
    // between is not counted after its last sample (it had gone idle).
    private static long Used(Dictionary<(int Pid, int Tid), long> first, Dictionary<(int Pid, int Tid), long> last) =>
        last.Sum(thread => thread.Value - first.GetValueOrDefault(thread.Key));

    private static void ThreadTicks(int pid, Dictionary<(int Pid, int Tid), long> ticks)
    {
        foreach (var (tid, _, folder) in ProcessTree.Tasks(pid).Where(task => task.Name == CompilerThread))
        {
            try
            {
                // utime and stime, the 14th and 15th fields of stat (after the name in parentheses).
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks[(pid, tid)] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }
    }
}
