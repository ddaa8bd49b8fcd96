using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Workspace;

/// <summary><c>read_file(path)</c>: the UTF-8 text of a regular file in the run's workspace (<see cref="WorkspaceFiles"/>).</summary>
internal sealed class ReadFileTool(BuiltInToolOptions options) : BuiltInTool(
    BuiltInToolNames.ReadFile,
    "Reads a UTF-8 text file from this run's workspace, a private folder shared by the run's steps. The path is relative " +
    "to the workspace (e.g. \"notes/summary.txt\"); absolute paths, '..' and symbolic links are refused.",
    Schema,
    RiskTier.Low,
    TimeSpan.FromSeconds(10),
    100_000)
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "path": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024,
              "description": "The file's path relative to the run's workspace, with '/' between folders, e.g. \"data/input.csv\"."
            }
          },
          "required": ["path"],
          "additionalProperties": false
        }
        """;

    protected override ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var path = arguments.RequiredString("path");
        if (!OperatingSystem.IsLinux())
        {
            throw new BuiltInToolException($"{Name}: needs Linux (openat2 confines it to the run's workspace); this host is not Linux");
        }

        return ValueTask.FromResult(WorkspaceFiles.Read(options.WorkspaceDirectory, invocation, Name, path, options.MaxFileBytes));
    }
}
