using MeshFlow.AppHost.Infrastructure.Postgres;
using MeshFlow.AppHost.Infrastructure.Redis;
using MeshFlow.AppHost.Infrastructure.Topology;
using MeshFlow.LocalServers;

namespace MeshFlow.AppHost.Infrastructure;

public static class InfrastructureBuilderExtensions
{
    public const string PostgresName = "postgres";
    public const string LedgerName = "ledger";
    public const string RedisName = "redis";

    /// <summary>
    /// Adds Postgres (database <c>ledger</c>) and Redis: the standard container resources when publishing or with a
    /// healthy container runtime; otherwise real server processes from the machine's binaries; otherwise, when a
    /// binary is missing, nothing (the api runs embedded). In run mode a <c>topology</c> resource says which.
    /// </summary>
    public static MeshFlowInfrastructure AddMeshFlowInfrastructure(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        if (builder.ExecutionContext.IsPublishMode)
        {
            return AddContainers(builder);
        }

        if (ContainerRuntimeProbe.UseContainers(builder.Configuration))
        {
            builder.AddTopology(
                InfrastructureMode.Containers,
                "postgres (database ledger) and redis run as containers.",
                []);
            return AddContainers(builder);
        }

        var postgres = PostgresToolchain.Locate(builder.Configuration[AppHostSettings.PostgresBin], AppHostSettings.PostgresBin, out var missingPostgres);
        var redis = RedisToolchain.Locate(builder.Configuration[AppHostSettings.RedisServer], AppHostSettings.RedisServer, out var missingRedis);
        if (postgres is null || redis is null)
        {
            MissingServer[] missing = [.. new[] { missingPostgres, missingRedis }.OfType<MissingServer>()];
            builder.AddTopology(
                InfrastructureMode.Embedded,
                $"Embedded mode: no container runtime, and {string.Join("; ", missing.Select(m => m.ToString()))}. " +
                "The api runs alone with its in-process queue and SQLite ledger; no workers. " +
                "For the full topology (postgres, redis, 2 workers), install what is missing or start Docker, then restart the AppHost.",
                missing);
            return new MeshFlowInfrastructure(InfrastructureMode.Embedded, Ledger: null, Redis: null);
        }

        var dataDirectory = LocalDataDirectory.Resolve(builder.Configuration);
        var ledger = builder.AddLocalPostgres(PostgresName, postgres, Path.Combine(dataDirectory, PostgresName))
            .AddDatabase(LedgerName);
        var cache = builder.AddLocalRedis(RedisName, redis, Path.Combine(dataDirectory, RedisName));
        builder.AddTopology(
            InfrastructureMode.LocalProcesses,
            $"No container runtime: postgres ({postgres.BinDirectory}) and redis ({redis.ServerPath}) run as local processes, data in {dataDirectory}.",
            []);
        return new MeshFlowInfrastructure(InfrastructureMode.LocalProcesses, ledger, cache);
    }

    /// <summary>References the <c>ledger</c> and <c>redis</c> connection strings that exist, and waits for them.</summary>
    public static IResourceBuilder<T> WithInfrastructure<T>(this IResourceBuilder<T> builder, MeshFlowInfrastructure infrastructure)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(infrastructure);

        foreach (var dependency in new[] { infrastructure.Ledger, infrastructure.Redis }.OfType<IResourceBuilder<IResourceWithConnectionString>>())
        {
            builder.WithReference(dependency).WaitFor(dependency);
        }

        return builder;
    }

    private static MeshFlowInfrastructure AddContainers(IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres(PostgresName);
        var redis = builder.AddRedis(RedisName);
        if (builder.ExecutionContext.IsRunMode)
        {
            // Keep the ledger across runs, as the local-process mode does.
            postgres.WithDataVolume();
        }

        return new MeshFlowInfrastructure(InfrastructureMode.Containers, postgres.AddDatabase(LedgerName), redis);
    }
}
