using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Workspace;

/// <summary>Makes read_file and write_file.</summary>
internal static class WorkspaceTools
{
    public static IEnumerable<BuiltInTool> Create(BuiltInToolOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return [new ReadFileTool(options), new WriteFileTool(options)];
    }
}
