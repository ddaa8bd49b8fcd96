using MeshFlow.Tools.Network;
using MeshFlow.Tools.Sandbox;

namespace MeshFlow.Tools.BuiltIn;

/// <summary>How the built-in tools are set up: which are offered, where runs' workspaces are, and each family's limits.</summary>
public sealed class BuiltInToolOptions
{
    /// <summary>
    /// The names of the built-in tools the engine offers (<see cref="BuiltInToolNames"/>); all of them by default, none
    /// when empty (<c>MESHFLOW_TOOLS</c>). A tool the host registers under the same name replaces the built-in one.
    /// </summary>
    public ISet<string> Enabled { get; } = new HashSet<string>(BuiltInToolNames.All, StringComparer.Ordinal);

    /// <summary>
    /// The folder under which each run gets its workspace, <c>&lt;folder&gt;/&lt;tenant&gt;/&lt;run&gt;</c>
    /// (<c>MESHFLOW_WORKSPACE_DIR</c>; by default <c>meshflow-workspace</c> in the system's temporary folder).
    /// <c>read_file</c> and <c>write_file</c> never leave a run's workspace; <c>python_repl</c> and <c>shell</c> see it
    /// read-only.
    /// </summary>
    public string WorkspaceDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "meshflow-workspace");

    /// <summary>The largest file <c>read_file</c> reads and <c>write_file</c> writes, in bytes (1 MiB).</summary>
    public int MaxFileBytes { get; set; } = 1 << 20;

    /// <summary>The network tools' address rules, endpoints and limits.</summary>
    public NetworkToolOptions Network { get; } = new();

    /// <summary>The sandbox of <c>python_repl</c> and <c>shell</c>.</summary>
    public SandboxOptions Sandbox { get; } = new();
}
