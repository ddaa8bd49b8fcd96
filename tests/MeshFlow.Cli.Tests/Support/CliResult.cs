namespace MeshFlow.Cli.Tests.Support;

/// <summary>What a finished <c>meshflow</c> process printed and how it exited.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>Standard output and standard error, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
