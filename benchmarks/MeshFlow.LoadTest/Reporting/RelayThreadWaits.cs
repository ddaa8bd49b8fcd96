using System.Globalization;
using MeshFlow.LoadTest.Topology;

namespace MeshFlow.LoadTest.Reporting;

/// <summary>
/// How long the threads a token crosses waited for a CPU once woken, from the kernel's per-thread scheduler statistics
/// (<c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat</c>: time on a CPU, time runnable but waiting for one, times run): the
/// api's relay reader (<c>meshflow relay</c>), the workers' socket threads (<c>.NET Sockets</c>, which read the model's
/// streams and publish the tokens) and their reply readers (<c>meshflow acks</c>), and Redis.
/// </summary>
/// <remarks>
/// A thread that waits to run holds up every stream it relays; on a busy machine that wait, not the work, is much of a
/// token's latency, and it varies from run to run with what else the machine runs (Redis's own wait per wakeup, which
/// MeshFlow does not touch, ranged from 80 to 143 µs between two otherwise identical runs).
/// </remarks>
internal sealed class RelayThreadWaits
{
    private readonly Dictionary<(int Pid, int Tid), Sample> _before;

    private RelayThreadWaits() => _before = Read();

    public static RelayThreadWaits Start() => new();

    /// <summary>Per thread kind since <see cref="Start"/>: CPU used, run-queue wait in all and per time it ran.</summary>
    public string Stop()
    {
        var after = Read();
        var kinds = after
            .Where(p => _before.ContainsKey(p.Key))
            .Select(p => (p.Value.Kind, Cpu: p.Value.CpuNs - _before[p.Key].CpuNs, Wait: p.Value.WaitNs - _before[p.Key].WaitNs, Runs: p.Value.Runs - _before[p.Key].Runs))
            .Where(t => t.Runs > 0)
            .GroupBy(t => t.Kind)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture,
                $"{g.Key}×{g.Count()} {g.Sum(t => t.Wait) / 1e6 / g.Sum(t => t.Runs) * 1000:F0} µs a wakeup ({g.Sum(t => t.Wait) / 1e9:F1} s waiting, {g.Sum(t => t.Cpu) / 1e9:F1} s running)"))
            .ToList();
        return kinds.Count == 0 ? "relay threads: none seen" : "relay threads' wait for a CPU once woken: " + string.Join("; ", kinds);
    }

    private static Dictionary<(int, int), Sample> Read()
    {
        var samples = new Dictionary<(int, int), Sample>();
        foreach (var process in ProcessTree.Topology())
        {
            var role = process.Role;
            if (role is not ("api" or "worker" or "redis"))
            {
                continue;
            }

            foreach (var (tid, name, folder) in ProcessTree.Tasks(process.Pid))
            {
                var kind = (role, name) switch
                {
                    ("api", "meshflow relay") => "api relay",
                    ("worker", ".NET Sockets") => "worker sockets",
                    ("worker", "meshflow acks") => "worker acks",
                    ("redis", _) when name.StartsWith("redis-server", StringComparison.Ordinal) => "redis",
                    _ => null,
                };
                if (kind is null)
                {
                    continue;
                }

                try
                {
                    var fields = File.ReadAllText(Path.Combine(folder, "schedstat")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    samples[(process.Pid, tid)] = new Sample(kind,
                        long.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[2], CultureInfo.InvariantCulture));
                }
                catch (IOException)
                {
                    // the thread ended meanwhile
                }
            }
        }

        return samples;
    }

    private sealed record Sample(string Kind, long CpuNs, long WaitNs, long Runs);
}
