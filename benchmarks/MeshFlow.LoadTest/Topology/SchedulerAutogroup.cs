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
/// made, so this runs before the topology starts; a process killed outright (SIGKILL) cannot put the setting back
/// (<c>sysctl kernel.sched_autogroup_enabled=1</c> does).
/// </para>
/// </remarks>
internal sealed class SchedulerAutogroup : IDisposable
{
    private const string Setting = "/proc/sys/kernel/sched_autogroup_enabled";
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

        if (current != "1")
        {
            return new SchedulerAutogroup("Linux autogroup: off (as the machine has it)", restore: false);
        }

        if (keep)
        {
            return new SchedulerAutogroup("Linux autogroup: on, kept (--keep-autogroup): the services share one session's CPU share", restore: false);
        }

        try
        {
            File.WriteAllText(Setting, "0");
            return new SchedulerAutogroup("Linux autogroup: turned off for this run (it was on; put back at exit)", restore: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SchedulerAutogroup(
                $"Linux autogroup: on, and could not be turned off ({e.Message}; needs root): the services share one session's CPU share", restore: false);
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
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not turn Linux autogroup back on ({e.Message}): sysctl kernel.sched_autogroup_enabled=1");
        }
    }
}
