namespace MeshFlow.Testing.Postgres;

/// <summary>Exit code and merged stdout/stderr of a finished process.</summary>
internal sealed record ProcessResult(int ExitCode, string Output);
