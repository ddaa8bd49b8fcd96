namespace MeshFlow.Tools.Sandbox;

/// <summary>The sandbox of <c>python_repl</c> and <c>shell</c>: what runs, and the limits it runs under.</summary>
public sealed class SandboxOptions
{
    /// <summary>The programs <c>shell</c> may run by default: ones that only read.</summary>
    public static IReadOnlyList<string> DefaultShellPrograms { get; } = ["ls", "cat", "grep", "wc", "head", "tail", "date", "echo", "sort", "uniq", "cut"];

    /// <summary>The Python interpreter (<c>MESHFLOW_TOOLS_PYTHON</c>; <c>/usr/bin/python3</c> by default); it must live under <c>/usr</c>, the only runtime the sandbox mounts.</summary>
    public string PythonPath { get; set; } = "/usr/bin/python3";

    /// <summary>bubblewrap (<c>bwrap</c>), by name on the PATH or by absolute path.</summary>
    public string BubblewrapPath { get; set; } = "bwrap";

    /// <summary>The programs <c>shell</c> may run (<c>MESHFLOW_TOOLS_SHELL_ALLOW</c>, comma-separated names).</summary>
    public IList<string> ShellPrograms { get; } = [.. DefaultShellPrograms];

    /// <summary>How long <c>python_repl</c> may run, wall clock and CPU (5 s).</summary>
    public TimeSpan PythonTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <c>shell</c> may run (10 s).</summary>
    public TimeSpan ShellTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most address space a sandboxed process may map, in bytes (512 MiB).</summary>
    public long MaxMemoryBytes { get; set; } = 512L << 20;

    /// <summary>The most processes a sandbox may hold at once (32).</summary>
    public int MaxProcesses { get; set; } = 32;

    /// <summary>The most bytes of standard output and error read back (64 KiB); a sandbox that writes more is stopped.</summary>
    public int MaxOutputBytes { get; set; } = 64 << 10;

    /// <summary>The size of the scratch folder, the sandbox's only writable place, in bytes (64 MiB).</summary>
    public long MaxScratchBytes { get; set; } = 64L << 20;

    /// <summary>The most files a sandboxed process may hold open (256).</summary>
    public int MaxOpenFiles { get; set; } = 256;

    /// <summary>
    /// The first user id of the range sandboxes run under (1,700,000,000): each call gets its own id from the range,
    /// so the process limit counts only that call's processes and a leftover is found by its id. The range must not
    /// overlap a real user or a container's subordinate ids.
    /// </summary>
    public int SandboxUidStart { get; set; } = 1_700_000_000;

    /// <summary>How many user ids the range holds (1,000,000).</summary>
    public int SandboxUidCount { get; set; } = 1_000_000;

    /// <summary>
    /// The group that owns what <c>write_file</c> creates in a run's folder when the service runs as root (folders 0750,
    /// files 0640): the sandboxes of <c>python_repl</c> and <c>shell</c> join it, and only it, so their unprivileged
    /// users can read the run's workspace at <c>/workspace</c> and nothing else of the host.
    /// </summary>
    public int WorkspaceGroupId { get; set; } = 1_699_999_999;
}
