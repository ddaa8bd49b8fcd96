namespace MeshFlow.AppHost.Infrastructure;

/// <summary>What the services get: the <c>ledger</c> and <c>redis</c> connection strings, or neither (embedded).</summary>
/// <param name="Mode">How Postgres and Redis are provided.</param>
/// <param name="Ledger">The Postgres database <c>ledger</c>; null in embedded mode.</param>
/// <param name="Redis">Redis; null in embedded mode.</param>
public sealed record MeshFlowInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString>? Ledger,
    IResourceBuilder<IResourceWithConnectionString>? Redis)
{
    /// <summary>Workers read runs from Redis and write the Postgres ledger; without both they have nothing to do.</summary>
    public bool HasWorkers => Ledger is not null && Redis is not null;
}
