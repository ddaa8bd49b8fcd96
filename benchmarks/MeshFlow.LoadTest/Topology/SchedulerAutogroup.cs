using System.Diagnostics;
using System.Globalization;

namespace MeshFlow.LoadTest.Topology;

/// <summary>
/// Turns off Linux's autogroup scheduling (<c>kernel.sched_autogroup_enabled</c>) for the load test's run, and puts it
/// back as it was when disposed.
/// </summary>
/// <remarks>
/// <para>
/// With autogroup on (Debian's kernels and this machine's default), Linux shares the CPU between sessions first and
/// between their threads second: every session is one group with the weight of one thread. DCP starts the AppHost's
/// services in one session of its own, so the api, both workers, Redis and the dashboard together got the CPU share of
/// the load generator, or of any one Postgres backend (each backend is a session of its own). Once that group had used
/// its share on a core, every thread in it waited together: the worker that read a token, Redis that relayed it, the
/// api that sent it. Under 100 paced streams the relay's p99 was 10 to 29 ms in four runs with autogroup on, and 3.2
/// to 13.2 ms (4.8 the median) in ten with it off.
/// </para>
/// <para>
/// Deployed, each service is a container, a cgroup with a CPU share of its own, or a systemd unit, never one session
/// with its neighbours. Autogroup only groups processes outside such cgroups. Tasks join a group when their session is
/// made, so this runs before the topology starts. A load test killed outright (SIGKILL) cannot put the setting back;
/// the file it leaves (<see cref="MarkerFile"/>, its pid) tells the next run, which puts it back first.
/// </para>
/// </remarks>
internal sealed class SchedulerAutogroup : IDisposable
{
    private const string Setting = "/proc/sys/kernel/sched_autogroup_enabled";

    // Written while autogroup is off on this run's behalf: the pid of the load test that turned it off.
    private static readonly string MarkerFile = Path.Combine(Path.GetTempPath(), "meshflow-loadtest-autogroup-off.pid");

    private bool _restore;

    private SchedulerAutogroup(string state, bool restore)
    {
        State = state;
        _restore = restore;
    }

    /// <summary>What the run is measured with, for the output.</summary>
    public string State { get; }

    /// <summary>Turns autogroup off unless <paramref name="keep"/>; says so, or why it could not.</summary>
    public static SchedulerAutogroup TurnOff(bool keep)
    {
        string current;
        try
        {
            current = File.ReadAllText(Setting).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SchedulerAutogroup("Linux autogroup: not available on this kernel", restore: false);
        }

        var repaired = string.Empty;
        if (current == "0" && LeftOffByAKilledRun() is { } killed)
        {
            try
            {
                File.WriteAllText(Setting, "1");
                File.Delete(MarkerFile);
                current = "1";
                repaired = $"; an earlier load test (pid {killed}) was killed with it off, and it was put back on first";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                repaired = $"; an earlier load test (pid {killed}) was killed with it off, and it could not be put back ({e.Message})";
            }
        }

        if (current != "1")
        {
            return new SchedulerAutogroup($"Linux autogroup: off (as the machine has it{repaired})", restore: false);
        }

        if (keep)
        {
            return new SchedulerAutogroup($"Linux autogroup: on, kept (--keep-autogroup): the services share one session's CPU share{repaired}", restore: false);
        }

        try
        {
            File.WriteAllText(MarkerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Setting, "0");
            return new SchedulerAutogroup($"Linux autogroup: turned off for this run (it was on; put back at exit){repaired}", restore: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(MarkerFile);
            return new SchedulerAutogroup(
                $"Linux autogroup: on, and could not be turned off ({e.Message}; needs root): the services share one session's CPU share{repaired}", restore: false);
        }
    }

    public void Dispose()
    {
        if (!_restore)
        {
            return;
        }

        _restore = false;
        try
        {
            File.WriteAllText(Setting, "1");
            File.Delete(MarkerFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not turn Linux autogroup back on ({e.Message}): sysctl kernel.sched_autogroup_enabled=1");
        }
    }

    /// <summary>The pid of a load test that turned autogroup off and is gone without putting it back, or null.</summary>
    private static int? LeftOffByAKilledRun()
    {
        try
        {
            if (!int.TryParse(File.ReadAllText(MarkerFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                return null;
            }

            try
            {
                using var process = Process.GetProcessById(pid);
                using var self = Process.GetCurrentProcess();
                return process.HasExited || process.ProcessName != self.ProcessName ? pid : null;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // No such process, or it exited while it was looked at.
                return pid;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
