namespace MeshFlow.Tools.Sandbox;

/// <summary>How a sandboxed program ended.</summary>
/// <param name="ExitCode">bubblewrap's exit code: the program's, or 128 + the signal that ended it.</param>
/// <param name="StandardOutput">Its standard output, at most <see cref="SandboxOptions.MaxOutputBytes"/> bytes of it.</param>
/// <param name="StandardError">Its standard error, likewise capped.</param>
/// <param name="TimedOut">It ran past its wall-clock limit and was killed.</param>
/// <param name="OutputCut">It wrote more than the cap and was killed.</param>
/// <param name="Uid">The user id it ran under (the service's own in a user namespace).</param>
internal sealed record SandboxResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, bool OutputCut, int Uid)
{
    /// <summary>The signal that ended it, when one did and the sandbox was not stopped by its runner.</summary>
    public int? Signal => !TimedOut && !OutputCut && ExitCode is > 128 and < 160 ? ExitCode - 128 : null;

    /// <summary>What ended it, for a message: <c>SIGXCPU (CPU time limit)</c>, say.</summary>
    public string? SignalName => Signal switch
    {
        null => null,
        9 => "SIGKILL",
        24 => "SIGXCPU (CPU time limit)",
        25 => "SIGXFSZ (file size limit)",
        11 => "SIGSEGV",
        6 => "SIGABRT",
        15 => "SIGTERM",
        var other => $"signal {other}",
    };
}
