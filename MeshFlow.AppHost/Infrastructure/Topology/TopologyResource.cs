using MeshFlow.LocalServers;

namespace MeshFlow.AppHost.Infrastructure.Topology;

/// <summary>
/// A dashboard entry that says how this run provides Postgres and Redis, and, when a server binary is missing,
/// what is missing and how to get the full topology.
/// </summary>
public sealed class TopologyResource(string name, InfrastructureMode mode, string message, IReadOnlyList<MissingServer> missing)
    : Resource(name)
{
    public InfrastructureMode Mode { get; } = mode;

    /// <summary>One line for people: the mode, and what to install when something is missing.</summary>
    public string Message { get; } = message;

    public IReadOnlyList<MissingServer> Missing { get; } = missing;
}
