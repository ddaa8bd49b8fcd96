namespace MeshFlow.LocalServers;

/// <summary>
/// The settings that point MeshFlow at server binaries outside the usual places. The AppHost reads them from its
/// configuration (environment, command line, appsettings); the test servers read the environment variables.
/// </summary>
public static class LocalServerSettings
{
    /// <summary>The folder holding the PostgreSQL server binaries (<c>initdb</c>, <c>postgres</c>, <c>pg_ctl</c>).</summary>
    public const string PostgresBin = "MESHFLOW_POSTGRES_BIN";

    /// <summary>The path of the <c>redis-server</c> binary.</summary>
    public const string RedisServer = "MESHFLOW_REDIS_SERVER";
}
