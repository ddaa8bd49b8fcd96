namespace MeshFlow.Cli;

/// <summary>
/// A failure the user can act on: its message is printed as one line (what went wrong and what to do), with no
/// stack trace, and the process exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class CliException : Exception
{
    public CliException(string message, int exitCode = CliExitCodes.Failure, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
        Lines = [message];
    }

    private CliException(IReadOnlyList<string> lines, int exitCode)
        : base(string.Join(Environment.NewLine, lines))
    {
        ExitCode = exitCode;
        Lines = lines;
    }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }

    /// <summary>What is printed, one <c>error:</c> line each: usually one, one per problem for an invalid workflow.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>A failure with several problems, each printed as its own line.</summary>
    public static CliException Many(IReadOnlyList<string> lines, int exitCode = CliExitCodes.Failure)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return lines.Count == 0 ? throw new ArgumentException("a failure has at least one line", nameof(lines)) : new CliException(lines, exitCode);
    }
}
