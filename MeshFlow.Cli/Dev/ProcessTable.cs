using System.Globalization;

namespace MeshFlow.Cli.Dev;

/// <summary>
/// A snapshot of the machine's processes (pid, parent, command line) from <c>/proc</c>, to find everything
/// <c>meshflow dev</c> started, including what was started outside its process tree. Empty where there is no
/// <c>/proc</c> (macOS, Windows): callers fall back to <see cref="System.Diagnostics.Process.Kill(bool)"/> there.
/// </summary>
internal sealed class ProcessTable
{
    private readonly Dictionary<int, (int Parent, long Started, string[] Arguments)> _processes;

    private ProcessTable(Dictionary<int, (int Parent, long Started, string[] Arguments)> processes) => _processes = processes;

    /// <summary>Whether this machine lists its processes in <c>/proc</c>.</summary>
    public static bool Supported => OperatingSystem.IsLinux() && Directory.Exists("/proc");

    /// <summary>Reads the processes now; processes that end while they are read are left out.</summary>
    public static ProcessTable Read()
    {
        var processes = new Dictionary<int, (int, long, string[])>();
        if (!Supported)
        {
            return new ProcessTable(processes);
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // The command name in /proc/<pid>/stat is in parentheses and may hold spaces and parentheses itself:
                // the fields after it start after the last ')': state, the parent's pid, ... and 20th, the start time.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] == "Z")
                {
                    continue;
                }

                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                var started = long.Parse(fields[19], CultureInfo.InvariantCulture);
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                processes[pid] = (parent, started, arguments);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while it was read.
            }
        }

        return new ProcessTable(processes);
    }

    /// <summary>The processes listed.</summary>
    public IReadOnlyCollection<int> Ids => _processes.Keys;

    /// <summary>A process as it is now: its pid with its start time, so that a pid used again later is not taken for it.</summary>
    public RunningProcess? Find(int pid) => _processes.TryGetValue(pid, out var process) ? new RunningProcess(pid, process.Started) : null;

    /// <summary>Whether <paramref name="process"/> is still running (not a later process with its pid).</summary>
    public bool IsRunning(RunningProcess process) =>
        _processes.TryGetValue(process.Pid, out var now) && now.Started == process.Started;

    /// <summary>A process's command line (empty for a kernel thread or an unknown pid).</summary>
    public IReadOnlyList<string> Arguments(int pid) => _processes.TryGetValue(pid, out var process) ? process.Arguments : [];

    /// <summary>The processes below <paramref name="root"/>, children before grandchildren; the root is not included.</summary>
    public IReadOnlyList<int> Descendants(int root)
    {
        var children = _processes.ToLookup(p => p.Value.Parent, p => p.Key);
        var found = new List<int>();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var pid))
        {
            foreach (var child in children[pid])
            {
                if (child != root && !found.Contains(child))
                {
                    found.Add(child);
                    pending.Enqueue(child);
                }
            }
        }

        return found;
    }
}
