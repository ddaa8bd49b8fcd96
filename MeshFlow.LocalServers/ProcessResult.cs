namespace MeshFlow.LocalServers;

/// <summary>How a short-lived process ended: its exit code and its interleaved stdout and stderr.</summary>
public sealed record ProcessResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}
