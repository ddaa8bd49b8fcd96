namespace MeshFlow.Cli;

/// <summary>
/// A failure the user can act on: its message is printed as one line (what went wrong and what to do), with no
/// stack trace, and the process exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class CliException(string message, int exitCode = CliExitCodes.Failure, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
