using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Sandbox;

/// <summary>Makes python_repl and shell.</summary>
internal static class SandboxTools
{
    public static IEnumerable<BuiltInTool> Create(BuiltInToolOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return [];
    }
}
