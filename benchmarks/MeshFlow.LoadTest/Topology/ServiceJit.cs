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

    /// <summary>The tiered-compilation threads' CPU time so far, in clock ticks, summed over the api and the workers.</summary>
    public static long CompilerTicks() =>
        ProcessTree.Topology().Where(p => p.Role is "api" or "worker").Sum(p => ThreadTicks(p.Pid));

    private static long ThreadTicks(int pid)
    {
        long ticks = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var open = stat.IndexOf('(', StringComparison.Ordinal);
                    var close = stat.LastIndexOf(')');
                    if (stat.AsSpan(open + 1, close - open - 1).SequenceEqual(CompilerThread))
                    {
                        var fields = stat[(close + 2)..].Split(' ');
                        ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    }
                }
                catch (IOException)
                {
                    // The thread ended between listing and reading.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended.
        }

        return ticks;
    }
}
