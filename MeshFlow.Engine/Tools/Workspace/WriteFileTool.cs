using System.Globalization;
using System.Text;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Workspace;

/// <summary><c>write_file(path, content)</c>: writes UTF-8 text to a file in the run's workspace (<see cref="WorkspaceFiles"/>).</summary>
internal sealed class WriteFileTool(BuiltInToolOptions options) : BuiltInTool(
    BuiltInToolNames.WriteFile,
    "Writes UTF-8 text to a file in this run's workspace, a private folder shared by the run's steps, creating missing " +
    "folders and replacing the file if it exists. Returns the number of bytes written. The path is relative to the " +
    "workspace (e.g. \"notes/summary.txt\"); absolute paths, '..' and symbolic links are refused.",
    Schema,
    RiskTier.Medium,
    TimeSpan.FromSeconds(10),
    1_000)
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "path": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024,
              "description": "The file's path relative to the run's workspace, with '/' between folders, e.g. \"notes/summary.md\"."
            },
            "content": {
              "type": "string",
              "description": "The text to write (UTF-8; at most the workspace's file size cap, 1 MiB by default)."
            }
          },
          "required": ["path", "content"],
          "additionalProperties": false
        }
        """;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    protected override ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var path = arguments.RequiredString("path");
        var content = arguments.OptionalString("content") ?? throw new BuiltInToolException($"{Name}: the argument 'content' is required");
        if (!OperatingSystem.IsLinux())
        {
            throw new BuiltInToolException($"{Name}: needs Linux (openat2 confines it to the run's workspace); this host is not Linux");
        }

        // Refused before any file is touched, so an oversized write leaves nothing behind.
        WorkspacePathRules.Segments(Name, path);
        byte[] bytes;
        try
        {
            bytes = content.Length > options.MaxFileBytes ? throw TooLarge(path, StrictUtf8.GetByteCount(content)) : StrictUtf8.GetBytes(content);
        }
        catch (EncoderFallbackException)
        {
            throw WorkspacePathRules.Refused(Name, path, "the content is not valid Unicode text (a lone surrogate)");
        }

        if (bytes.Length > options.MaxFileBytes)
        {
            throw TooLarge(path, bytes.Length);
        }

        WorkspaceFiles.Write(options.WorkspaceDirectory, invocation, Name, path, bytes,
            Environment.IsPrivilegedProcess ? options.Sandbox.WorkspaceGroupId : null);
        return ValueTask.FromResult(string.Create(CultureInfo.InvariantCulture, $"wrote {bytes.Length} bytes to {path}"));
    }

    private BuiltInToolException TooLarge(string path, int bytes) => WorkspacePathRules.Refused(
        Name, path, string.Create(CultureInfo.InvariantCulture, $"the content has {bytes:N0} bytes; at most {options.MaxFileBytes:N0} are written"));
}
