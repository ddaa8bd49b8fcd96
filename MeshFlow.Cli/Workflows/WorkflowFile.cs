using System.Text;
using MeshFlow.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Cli.Workflows;

/// <summary>
/// A workflow definition file as the CLI reads it: its text, or, for anything that is not one (a missing file, a
/// folder, binary data), a problem at its first line rather than an exception.
/// </summary>
internal sealed record WorkflowFile(string Path, string? Text, string? Problem)
{
    // Definitions are small; a file far larger is not one (and is not read whole into memory).
    private const long MaxBytes = 4 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the file; <see cref="Problem"/> says why it is not a workflow's text.</summary>
    public static WorkflowFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            return new WorkflowFile(path, null, "is a folder, not a workflow file");
        }

        if (!File.Exists(path))
        {
            return new WorkflowFile(path, null, "does not exist");
        }

        try
        {
            if (new FileInfo(path).Length > MaxBytes)
            {
                return new WorkflowFile(path, null, $"is larger than {MaxBytes / (1024 * 1024)} MiB: not a workflow definition");
            }

            var bytes = File.ReadAllBytes(path);
            if (Array.IndexOf(bytes, (byte)0) >= 0)
            {
                return new WorkflowFile(path, null, "is binary data, not a workflow (a workflow is YAML or JSON text)");
            }

            var text = StrictUtf8.GetString(bytes);
            return new WorkflowFile(path, text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text, null);
        }
        catch (DecoderFallbackException)
        {
            return new WorkflowFile(path, null, "is not UTF-8 text, so not a workflow (a workflow is YAML or JSON text)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new WorkflowFile(path, null, $"cannot be read: {ex.Message}");
        }
    }

    /// <summary>Reads and validates the file: the workflow, or every problem as a <c>file:line:column: message</c> line.</summary>
    public (Workflow? Workflow, IReadOnlyList<string> Problems) Validate(WorkflowLoadOptions? options = null)
    {
        if (Problem is { } problem)
        {
            return (null, [$"{Path}: {problem}"]);
        }

        WorkflowLoadResult result;
        try
        {
            result = WorkflowYaml.Validate(Text!, options);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The reader reports problems rather than throwing; should some input still get past it, it is a problem
            // of the file, told on one line.
            return (null, [$"{Path}:1:1: not a workflow definition ({ex.Message.ReplaceLineEndings(" ")})"]);
        }

        return result.IsValid ? (result.Workflow, []) : (null, [.. result.Errors.Select(Describe)]);
    }

    /// <summary>A problem as <c>file:line:column: message</c>, or <c>file: message (at path)</c> when it has no position.</summary>
    public string Describe(WorkflowValidationError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Line is { } line
            ? $"{Path}:{line}:{error.Column ?? 1}: {error.Message}"
            : $"{Path}: {error.Message}{(error.Path is { Length: > 0 } at ? $" (at {at})" : "")}";
    }

    /// <summary>Reads and validates, throwing the problems as one <c>error:</c> line each.</summary>
    public static (WorkflowFile File, Workflow Workflow) Load(string path, WorkflowLoadOptions? options = null)
    {
        var file = Read(path);
        var (workflow, problems) = file.Validate(options);
        return workflow is not null ? (file, workflow) : throw CliException.Many(problems);
    }
}
