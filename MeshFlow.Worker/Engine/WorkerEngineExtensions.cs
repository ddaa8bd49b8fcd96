using MeshFlow.Hosting;

namespace MeshFlow.Worker.Engine;

public static class WorkerEngineExtensions
{
    /// <summary>Registers the engine (LLM from <c>ConnectionStrings:llm</c>) and the health check that exercises it.</summary>
    public static IHostApplicationBuilder AddWorkerEngine(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddMeshFlowEngine();
        builder.Services.AddHealthChecks().AddCheck<EngineHealthCheck>("engine");

        return builder;
    }
}
