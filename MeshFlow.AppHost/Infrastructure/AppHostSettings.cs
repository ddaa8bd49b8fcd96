using MeshFlow.LocalServers;

namespace MeshFlow.AppHost.Infrastructure;

/// <summary>The configuration names the AppHost reads (environment, command line, appsettings, user secrets).</summary>
public static class AppHostSettings
{
    /// <summary><c>true</c> or <c>false</c> forces container resources on or off in run mode; unset, a probe decides.</summary>
    public const string Containers = "MESHFLOW_CONTAINERS";

    /// <summary>The folder holding the PostgreSQL server binaries (<c>initdb</c>, <c>postgres</c>, <c>pg_ctl</c>).</summary>
    public const string PostgresBin = LocalServerSettings.PostgresBin;

    /// <summary>The path of the <c>redis-server</c> binary.</summary>
    public const string RedisServer = LocalServerSettings.RedisServer;

    /// <summary>Where the local servers keep their data and generated passwords.</summary>
    public const string DataDirectory = "MESHFLOW_APPHOST_DATA_DIR";

    /// <summary>Which container runtime Aspire uses (<c>docker</c> unless set to <c>podman</c>).</summary>
    public const string ContainerRuntime = "ASPIRE_CONTAINER_RUNTIME";
}
