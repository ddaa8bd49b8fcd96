using System.Diagnostics;
using System.Globalization;
using MeshFlow.LoadTest.Topology;

namespace MeshFlow.LoadTest.Reporting;

/// <summary>
/// Where the CPU went during a measurement: the topology's processes by role, and the whole machine (which other
/// tenants share), in cores busy.
/// </summary>
internal sealed class CpuUsage
{
    private readonly Dictionary<int, ProcessInfo> _before;
    private readonly (long Busy, long Total) _machineBefore;
    private readonly long _started;

    private CpuUsage()
    {
        _before = ProcessTree.Topology().ToDictionary(p => p.Pid);
        _machineBefore = Machine();
        _started = Stopwatch.GetTimestamp();
    }

    public static CpuUsage Start() => new();

    /// <summary>Cores busy per role since <see cref="Start"/>, as one line: <c>api 0.62, worker×2 0.71, ...</c>.</summary>
    public string Stop()
    {
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var (busy, total) = Machine();
        var after = ProcessTree.Topology();
        var roles = after
            .Select(p => (p.Role, Ticks: p.CpuTicks - (_before.TryGetValue(p.Pid, out var b) ? b.CpuTicks : 0)))
            .GroupBy(p => p.Role)
            .Select(g => (Role: g.Key, Count: g.Count(), Cores: g.Sum(p => p.Ticks) / ProcessTree.TicksPerSecond / seconds))
            .OrderByDescending(r => r.Cores);
        var machine = total > _machineBefore.Total ? (double)(busy - _machineBefore.Busy) / (total - _machineBefore.Total) * Environment.ProcessorCount : 0;
        var parts = roles.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Role}{(r.Count > 1 ? "×" + r.Count : string.Empty)} {r.Cores:F2}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"cores busy (of {Environment.ProcessorCount}): machine {machine:F2}; {string.Join(", ", parts)}");
    }

    // The first line of /proc/stat: jiffies busy and in total, over all cores.
    private static (long Busy, long Total) Machine()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }
}
