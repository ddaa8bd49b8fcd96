namespace MeshFlow.Cli.Client;

/// <summary>
/// The API answered a request with a ProblemDetails the command may want to tell in its own words (an invalid workflow
/// as <c>file:line:column</c> lines); otherwise it is reported as the problem's one line.
/// </summary>
internal sealed class ServerProblemException(ServerProblem problem, int exitCode)
    : Exception(problem.Describe())
{
    public ServerProblem Problem { get; } = problem;

    public int ExitCode { get; } = exitCode;
}
