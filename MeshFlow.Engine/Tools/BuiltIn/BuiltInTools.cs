using MeshFlow.Tools.Network;
using MeshFlow.Tools.Sandbox;
using MeshFlow.Tools.Utility;
using MeshFlow.Tools.Workspace;

namespace MeshFlow.Tools.BuiltIn;

/// <summary>Makes the built-in tools (<see cref="BuiltInToolNames"/>) an engine offers by name.</summary>
public static class BuiltInTools
{
    /// <summary>The tools <paramref name="options"/> enable, set up by them.</summary>
    public static IReadOnlyList<BuiltInTool> Create(BuiltInToolOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = timeProvider ?? TimeProvider.System;
        if (options.Enabled.Count == 0)
        {
            return [];
        }

        IEnumerable<BuiltInTool> all =
        [
            .. NetworkTools.Create(options, time), .. SandboxTools.Create(options, time),
            .. WorkspaceTools.Create(options, time), .. UtilityTools.Create(options, time),
        ];
        return [.. all.Where(tool => options.Enabled.Contains(tool.Name))];
    }
}
