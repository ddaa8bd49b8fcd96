using Microsoft.Extensions.Logging;

namespace MeshFlow.AppHost.Infrastructure;

/// <summary>The AppHost's log messages about Postgres, Redis and the topology.</summary>
internal static partial class InfrastructureLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Using the PostgreSQL data folder {DataDirectory}")]
    public static partial void UsingDataDirectory(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating a PostgreSQL data folder in {DataDirectory}\n{InitdbOutput}")]
    public static partial void CreatedDataDirectory(ILogger logger, string dataDirectory, string initdbOutput);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created database {Database}")]
    public static partial void CreatedDatabase(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "pg_ctl stop exited with {ExitCode}: {Output}")]
    public static partial void Stopped(ILogger logger, int exitCode, string output);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not stop PostgreSQL in {DataDirectory} cleanly")]
    public static partial void StopFailed(ILogger logger, Exception exception, string dataDirectory);

    [LoggerMessage(Message = "{Topology}")]
    public static partial void Topology(ILogger logger, LogLevel level, string topology);
}
