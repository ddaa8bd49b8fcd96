using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Sandbox;

/// <summary>Makes python_repl and shell, which run programs in the bubblewrap sandbox.</summary>
internal static class SandboxTools
{
    public static IEnumerable<BuiltInTool> Create(BuiltInToolOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return [new PythonReplTool(options), new ShellTool(options)];
    }
}
