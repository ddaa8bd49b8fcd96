using MeshFlow.Distributed.Hosting;
using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Hosting;
using MeshFlow.Runtime;
using MeshFlow.ServiceDefaults.Startup;
using MeshFlow.Worker.Queue;

namespace MeshFlow.Worker.Engine;

public static class WorkerRuntimeExtensions
{
    /// <summary>
    /// Registers a worker of the pool: it reads runs from the Redis stream (<c>ConnectionStrings:redis</c>) and resumes
    /// them from the shared Postgres ledger (<c>ConnectionStrings:ledger</c>).
    /// </summary>
    /// <exception cref="MeshFlowConfigurationException">A connection string is missing, or a queue timing is not a number of seconds.</exception>
    public static IHostApplicationBuilder AddWorkerRuntime(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var ledger = builder.Configuration.GetConnectionString("ledger");
        var redis = builder.Configuration.GetConnectionString("redis");
        if (string.IsNullOrWhiteSpace(ledger) || string.IsNullOrWhiteSpace(redis))
        {
            var missing = string.Join(" and ", new[] { ("ConnectionStrings:ledger", ledger), ("ConnectionStrings:redis", redis) }
                .Where(setting => string.IsNullOrWhiteSpace(setting.Item2)).Select(setting => setting.Item1));
            throw new MeshFlowConfigurationException(
                $"{missing} must be set (a worker reads runs from Redis and resumes them from the Postgres ledger): run it in the AppHost " +
                "topology (dotnet run --project MeshFlow.AppHost), or run MeshFlow.Api alone, which executes runs itself in embedded mode.");
        }

        builder.Services.AddMeshFlowLedger(_ => new PostgresLedgerStore(ledger));
        builder.AddWorkerEngine();
        builder.Services.AddMeshFlowRedisRuntime(redis, options => QueueTimingSettings.Apply(builder.Configuration, options));
        builder.Services.AddMeshFlowMetricRelay();
        builder.Services.AddMeshFlowWorker();
        builder.Services.AddHostedService<RunReconcilerService>();
        return builder;
    }
}
