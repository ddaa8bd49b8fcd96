namespace MeshFlow.AppHost.Infrastructure;

/// <summary>How the AppHost provides Postgres and Redis.</summary>
public enum InfrastructureMode
{
    /// <summary>The standard Aspire container resources: always when publishing, and with a healthy container runtime.</summary>
    Containers,

    /// <summary>Real server processes started from the machine's binaries, as Aspire executable resources.</summary>
    LocalProcesses,

    /// <summary>A server binary is missing and no container runtime exists: the api runs embedded, without workers.</summary>
    Embedded,
}
