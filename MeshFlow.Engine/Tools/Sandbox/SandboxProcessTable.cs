using System.Globalization;
using System.Runtime.InteropServices;

namespace MeshFlow.Tools.Sandbox;

/// <summary>
/// The host's process table as <c>/proc</c> shows it: who runs under a sandbox's user id, which processes descend from
/// a sandbox's bubblewrap, and SIGKILL for them. Only the processes a sandbox started are ever signalled.
/// </summary>
internal static partial class SandboxProcessTable
{
    private const int SigKill = 9;

    /// <summary>One process: its id, its parent's and its real user id.</summary>
    internal readonly record struct Entry(int Pid, int ParentPid, int Uid);

    /// <summary>The processes running now (those that end while being read are left out).</summary>
    public static IReadOnlyList<Entry> Snapshot()
    {
        var entries = new List<Entry>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                int? parent = null, uid = null;
                foreach (var line in File.ReadLines(Path.Combine(directory, "status")))
                {
                    if (line.StartsWith("PPid:", StringComparison.Ordinal))
                    {
                        parent = FirstNumber(line);
                    }
                    else if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    {
                        uid = FirstNumber(line);
                        break;
                    }
                }

                if (parent is { } p && uid is { } u)
                {
                    entries.Add(new Entry(pid, p, u));
                }
            }
            catch (IOException)
            {
                // The process ended between the listing and the read.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return entries;
    }

    /// <summary>The ids of the processes running under <paramref name="uid"/>.</summary>
    public static IReadOnlyList<int> WithUid(int uid) => [.. Snapshot().Where(e => e.Uid == uid).Select(e => e.Pid)];

    /// <summary><paramref name="root"/> and every process descending from it.</summary>
    public static IReadOnlyList<int> Tree(int root)
    {
        var children = Snapshot().ToLookup(e => e.ParentPid, e => e.Pid);
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(children[tree[i]]);
        }

        return tree;
    }

    /// <summary>Whether process <paramref name="pid"/> still exists (a zombie counts as gone: it runs nothing).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("State:", StringComparison.Ordinal))
                {
                    return !line.Contains('Z', StringComparison.Ordinal) && !line.Contains('X', StringComparison.Ordinal);
                }
            }

            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Sends SIGKILL to each of <paramref name="pids"/> (one already gone is skipped).</summary>
    public static void Kill(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            if (pid > 1)
            {
                _ = SendSignal(pid, SigKill);
            }
        }
    }

    private static int? FirstNumber(string line)
    {
        var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
