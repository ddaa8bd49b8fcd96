using MeshFlow.Api.Approvals;
using MeshFlow.Api.Governance;
using MeshFlow.Api.Runs;
using MeshFlow.Api.Streaming;
using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Distributed.Hosting;
using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Hosting;
using MeshFlow.Ledger;
using MeshFlow.Runtime;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MeshFlow.ServiceDefaults.Startup;

namespace MeshFlow.Api.Hosting;

/// <summary>
/// Composes the API's runtime. With <c>ConnectionStrings:ledger</c> and <c>ConnectionStrings:redis</c> it is one
/// front door of the distributed topology: runs go on the Redis stream for the workers, events come back over Redis
/// pub/sub, the ledger is Postgres, and this process executes nothing. With neither, it is the whole of MeshFlow in
/// one process (embedded mode): an in-process queue, event bus and worker, and the SQLite ledger in
/// <c>MESHFLOW_DATA_DIR</c>.
/// </summary>
public static class ApiRuntimeExtensions
{
    /// <summary>Adds the ledger, engine, runtime and request readers, in the mode the configuration asks for.</summary>
    /// <exception cref="MeshFlowConfigurationException">A setting is wrong (the connection strings, MESHFLOW_TRACE_CONTENT, MESHFLOW_EMBEDDINGS); the message names it.</exception>
    public static WebApplicationBuilder AddMeshFlowApiRuntime(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var ledger = builder.Configuration.GetConnectionString("ledger");
        var redis = builder.Configuration.GetConnectionString("redis");
        var services = builder.Services;

        if (!string.IsNullOrWhiteSpace(redis) && string.IsNullOrWhiteSpace(ledger))
        {
            throw new MeshFlowConfigurationException(
                "ConnectionStrings:redis is set but ConnectionStrings:ledger is not: workers resume runs from a shared Postgres ledger, " +
                "so the distributed mode needs both (or neither, for embedded mode)");
        }

        if (!string.IsNullOrWhiteSpace(ledger))
        {
            services.AddMeshFlowLedger(_ => new PostgresLedgerStore(ledger));
        }
        else
        {
            services.AddMeshFlowLedger();
        }

        // Read now, though the engine reads it again when it is made: a typo stops start-up with one line naming the
        // setting, rather than failing the first run or span that resolves the engine.
        try
        {
            TraceContentSetting.Read(builder.Configuration);
            services.AddMeshFlowEmbeddings(builder.Configuration);
        }
        catch (FormatException ex)
        {
            throw new MeshFlowConfigurationException(ex.Message, ex);
        }

        services.AddMeshFlowEngine();
        if (!string.IsNullOrWhiteSpace(redis))
        {
            services.AddMeshFlowRedisRuntime(redis);
            services.AddMeshFlowRuntime();
            // The workers run the runs: their measurements arrive over the relay.
            services.AddMeshFlowMetricSubscriber();
        }
        else
        {
            // Embedded: this process is its own worker.
            services.AddMeshFlowWorker();
            services.AddHostedService<RunReconcilerService>();
        }

        services.AddHealthChecks().Add(new HealthCheckRegistration("runtime",
            provider => new RuntimeHealthCheck(provider.GetRequiredService<ILedgerStore>(), provider.GetService<StackExchange.Redis.IConnectionMultiplexer>()),
            failureStatus: null, tags: ["ready"]));
        services.AddSingleton(provider => new RunEventSource(provider.GetRequiredService<IRunEventBus>(), provider.GetRequiredService<ILedgerStore>()));
        services.AddSingleton(provider => new WorkflowRegistry(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<TenantPolicies>();
        services.AddSingleton<HitlDestinations>();
        services.AddSingleton<RunRequestReader>();
        return builder;
    }
}
