using System.Globalization;

namespace MeshFlow.LoadTest.Topology;

/// <summary>The processes this load test started, from <c>/proc</c>.</summary>
internal static class ProcessTree
{
    /// <summary>USER_HZ: <c>/proc</c> reports CPU time in hundredths of a second on every Linux architecture.</summary>
    public const double TicksPerSecond = 100;

    // Remembered once seen, so a service DCP left behind is still found after DCP itself has exited.
    private static readonly HashSet<int> DcpSessions = [];

    /// <summary>
    /// The processes of the topology this process hosts: itself and its children, DCP (which watches this process
    /// with <c>--monitor &lt;pid&gt;</c>), and the sessions DCP starts the services in (they are re-parented to init, so
    /// parentage alone misses them). Never by name: other AppHosts may run on the same machine.
    /// </summary>
    public static IReadOnlyList<ProcessInfo> Topology()
    {
        var self = Environment.ProcessId;
        var all = new Dictionary<int, ProcessInfo>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } info)
            {
                all[pid] = info;
            }
        }

        var monitor = string.Create(CultureInfo.InvariantCulture, $"--monitor {self} ");
        var roots = all.Values.Where(p => p.Pid == self || (p.CommandLine + " ").Contains(monitor, StringComparison.Ordinal)).Select(p => p.Pid);
        var found = Below(all, roots);
        var ownSession = all.TryGetValue(self, out var me) ? me.SessionId : -1;
        lock (DcpSessions)
        {
            DcpSessions.UnionWith(found.Where(p => p.Name.StartsWith("dcp", StringComparison.Ordinal) && p.SessionId != ownSession).Select(p => p.SessionId));
            return Below(all, found.Select(p => p.Pid).Concat(all.Values.Where(p => DcpSessions.Contains(p.SessionId)).Select(p => p.Pid)));
        }
    }

    private static List<ProcessInfo> Below(Dictionary<int, ProcessInfo> all, IEnumerable<int> roots)
    {
        var children = all.Values.ToLookup(p => p.ParentPid);
        var found = new Dictionary<int, ProcessInfo>();
        var pending = new Stack<int>(roots);
        while (pending.TryPop(out var pid))
        {
            if (!all.TryGetValue(pid, out var info) || !found.TryAdd(pid, info))
            {
                continue;
            }

            foreach (var child in children[pid])
            {
                pending.Push(child.Pid);
            }
        }

        return [.. found.Values];
    }

    /// <summary>The process, or null when it is gone.</summary>
    public static ProcessInfo? Read(int pid)
    {
        try
        {
            // comm is in parentheses and may hold spaces: the fields after it start after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            var session = int.Parse(fields[3], CultureInfo.InvariantCulture);
            var cpu = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return new ProcessInfo(pid, parent, session, name, commandLine, cpu);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// The process's threads that could be read: id, name (<c>comm</c>, cut at 15 bytes by the kernel) and their
    /// <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;</c> folder. A thread may end before its folder is read: callers catch IOException.
    /// </summary>
    public static IEnumerable<(int Tid, string Name, string Folder)> Tasks(int pid)
    {
        string[] folders;
        try
        {
            folders = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break; // the process ended
        }

        foreach (var folder in folders)
        {
            string name;
            try
            {
                name = File.ReadAllText(Path.Combine(folder, "comm")).TrimEnd('\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // the thread ended
            }

            yield return (int.Parse(Path.GetFileName(folder), CultureInfo.InvariantCulture), name, folder);
        }
    }

    /// <summary>The process's thread count, from <c>/proc/&lt;pid&gt;/status</c>.</summary>
    public static int Threads(int pid) =>
        (int)StatusValue(File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("Threads:", StringComparison.Ordinal)));

    /// <summary>VmRSS and RssAnon (KiB) from <c>/proc/&lt;pid&gt;/status</c>.</summary>
    public static (long RssKiB, long AnonKiB) Memory(int pid)
    {
        long rss = 0, anon = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = StatusValue(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = StatusValue(line);
            }
        }

        return (rss, anon);
    }

    // "VmRSS:\t  1234 kB" → 1234; "Threads:\t9" → 9.
    private static long StatusValue(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}
