namespace MeshFlow.Cli;

/// <summary>The exit codes every command shares.</summary>
public static class CliExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>The command ran and its answer is "no": an invalid workflow, a chain that does not verify, a failed run.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong (System.CommandLine's own parse errors use it too).</summary>
    public const int Usage = 2;

    /// <summary>A server could not be reached, or refused the key.</summary>
    public const int Unavailable = 3;

    /// <summary>Ctrl+C stopped the command (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
