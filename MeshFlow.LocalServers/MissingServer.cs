namespace MeshFlow.LocalServers;

/// <summary>A server binary this machine lacks (or cannot run), and how to get it.</summary>
/// <param name="Problem">What is missing, e.g. <c>redis-server not found on PATH</c>.</param>
/// <param name="Remedy">The command or setting that fixes it, e.g. <c>apt-get install -y redis-server</c>.</param>
public sealed record MissingServer(string Problem, string Remedy)
{
    public override string ToString() => $"{Problem}: {Remedy}";
}
