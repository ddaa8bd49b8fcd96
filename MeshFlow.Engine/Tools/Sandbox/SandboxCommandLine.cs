using System.Globalization;

namespace MeshFlow.Tools.Sandbox;

/// <summary>
/// bubblewrap's arguments for one sandbox: what it sees, what it may write, and the limits and user id it runs under.
/// </summary>
/// <remarks>
/// As root (the service's usual case) the sandbox has no user namespace: bubblewrap makes new PID, IPC, UTS, network and
/// cgroup namespaces and a mount namespace holding only <c>/usr</c> (read-only, <c>/usr/local</c> emptied), its own <c>/proc</c>, a minimal
/// <c>/dev</c>, a size-capped tmpfs at <c>/scratch</c> (also <c>/tmp</c>) and the run's workspace read-only at
/// <c>/workspace</c>; then <c>prlimit</c> sets the limits and <c>setpriv</c> drops to the call's own unprivileged user
/// id, in the workspace's group only, with no capabilities and no way to gain any. Without root, a user namespace takes the place of the id change:
/// the program runs as the service's user mapped into the namespace, so the process limit counts the service's own
/// processes too, and leftovers are found through the process tree only.
/// </remarks>
internal static class SandboxCommandLine
{
    /// <summary>The scratch folder, the sandbox's only writable place.</summary>
    public const string Scratch = "/scratch";

    /// <summary>Where the run's workspace is, read-only.</summary>
    public const string Workspace = "/workspace";

    public const string Prlimit = "/usr/bin/prlimit";

    public const string Setpriv = "/usr/bin/setpriv";

    public static IReadOnlyList<string> Build(SandboxOptions options, SandboxRequest request, int uid, bool privileged)
    {
        var cpuSeconds = Math.Max(1, (long)Math.Ceiling(request.WallTimeout.TotalSeconds));
        string S(long value) => value.ToString(CultureInfo.InvariantCulture);

        List<string> args = privileged
            ? ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
            : ["--unshare-all", "--unshare-user", "--disable-userns"];
        args.AddRange(
        [
            "--die-with-parent", "--new-session",
            "--ro-bind", "/usr", "/usr",
            // What an operator installs by hand lives under /usr/local (tools, their configuration); the runtime does not.
            "--tmpfs", "/usr/local",
            "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", S(options.MaxScratchBytes), "--tmpfs", Scratch,
            "--symlink", "scratch", "/tmp",
        ]);
        if (request.WorkspaceFolder is { } workspace)
        {
            args.AddRange(["--ro-bind", workspace, Workspace]);
        }

        args.AddRange(
        [
            "--clearenv",
            "--setenv", "PATH", "/usr/bin:/bin",
            "--setenv", "HOME", Scratch,
            "--setenv", "LANG", "C.UTF-8",
            "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
            "--setenv", "PYTHONNOUSERSITE", "1",
            "--setenv", "PYTHONUNBUFFERED", "1",
            "--chdir", request.WorkingDirectory,
            "--",
            Prlimit,
            "--nproc=" + S(options.MaxProcesses),
            "--as=" + S(options.MaxMemoryBytes),
            // The soft limit sends SIGXCPU, which names the cause; the hard one, a second later, is SIGKILL.
            "--cpu=" + S(cpuSeconds) + ":" + S(cpuSeconds + 1),
            "--fsize=" + S(options.MaxScratchBytes),
            "--nofile=" + S(options.MaxOpenFiles),
            "--core=0",
            "--",
        ]);
        if (privileged)
        {
            args.AddRange(
            [
                // The workspace's group is its only supplementary group: it reads the run's files and nothing else.
                Setpriv, "--reuid=" + S(uid), "--regid=" + S(uid), "--groups=" + S(options.WorkspaceGroupId),
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
            ]);
        }

        args.Add(request.Program);
        args.AddRange(request.Arguments);
        return args;
    }
}
