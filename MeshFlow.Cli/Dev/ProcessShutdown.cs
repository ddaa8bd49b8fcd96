using System.Diagnostics;
using System.Globalization;

namespace MeshFlow.Cli.Dev;

/// <summary>
/// Stops <c>dotnet watch</c> and everything it started, leaving nothing running. The AppHost is asked first (SIGTERM),
/// so that it stops its resources cleanly; then the watch's process tree is killed. Aspire's orchestrator (DCP) and the
/// servers it starts (Postgres, Redis, the dashboard) are not in that tree: DCP detaches, watches the AppHost's process
/// (<c>--monitor &lt;pid&gt;</c>) and stops them when it ends. They are given a grace period, then killed.
/// </summary>
internal static class ProcessShutdown
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task StopAsync(Process watch, string appHostName)
    {
        ArgumentNullException.ThrowIfNull(watch);
        if (!ProcessTable.Supported)
        {
            // No process table to find the AppHost or DCP in: DCP still stops its servers once the AppHost is gone.
            KillTree(watch);
            await WaitForExitAsync(watch).ConfigureAwait(false);
            return;
        }

        var table = ProcessTable.Read();
        int[] tree = [watch.Id, .. table.Descendants(watch.Id)];
        var orchestrators = Orchestrators(table, tree);
        var started = tree.Concat(orchestrators).Concat(orchestrators.SelectMany(table.Descendants))
            .Select(table.Find).OfType<RunningProcess>().ToHashSet();

        var appHosts = tree.Where(pid => IsAppHost(table.Arguments(pid), appHostName)).Select(table.Find).OfType<RunningProcess>().ToList();
        foreach (var appHost in appHosts)
        {
            PosixSignals.Send(appHost.Pid, PosixSignals.Terminate);
        }

        await WaitUntilGoneAsync(appHosts).ConfigureAwait(false);
        KillTree(watch);
        await WaitForExitAsync(watch).ConfigureAwait(false);

        // Servers DCP started after the first look are its descendants now.
        var now = ProcessTable.Read();
        started.UnionWith(started.Where(now.IsRunning).SelectMany(p => now.Descendants(p.Pid)).Select(now.Find).OfType<RunningProcess>().ToList());
        if (!await WaitUntilGoneAsync(started).ConfigureAwait(false))
        {
            var left = ProcessTable.Read();
            foreach (var process in started.Where(left.IsRunning))
            {
                PosixSignals.Send(process.Pid, PosixSignals.Kill);
            }
        }
    }

    // The AppHost runs as its apphost executable (bin/.../MeshFlow.AppHost, .exe on Windows) or as
    // 'dotnet MeshFlow.AppHost.dll'. A name has dots of its own, so it is compared whole, not without an extension.
    private static bool IsAppHost(IReadOnlyList<string> arguments, string name) =>
        arguments.Count > 0
        && (Path.GetFileName(arguments[0]) == name
            || (Path.GetFileName(arguments[0]) == "dotnet" && arguments.Skip(1).Any(a => Path.GetFileName(a) == name + ".dll")));

    // DCP's processes name the process they serve: '--monitor <pid>'.
    private static List<int> Orchestrators(ProcessTable table, IReadOnlyCollection<int> served)
    {
        var pids = served.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        return table.Ids.Where(pid =>
        {
            var arguments = table.Arguments(pid);
            return arguments.Zip(arguments.Skip(1)).Any(pair => pair.First == "--monitor" && pids.Contains(pair.Second));
        }).ToList();
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }

    private static async Task WaitForExitAsync(Process process)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(GracePeriod).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // What survives is killed with the rest.
        }
    }

    private static async Task<bool> WaitUntilGoneAsync(IReadOnlyCollection<RunningProcess> processes)
    {
        var deadline = Stopwatch.StartNew();
        while (processes.Any(ProcessTable.Read().IsRunning))
        {
            if (deadline.Elapsed > GracePeriod)
            {
                return false;
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }

        return true;
    }
}
