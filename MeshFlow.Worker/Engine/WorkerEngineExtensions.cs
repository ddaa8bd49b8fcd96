using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Hosting;
using MeshFlow.ServiceDefaults.Startup;

namespace MeshFlow.Worker.Engine;

public static class WorkerEngineExtensions
{
    /// <summary>
    /// Registers the engine (LLM from <c>ConnectionStrings:llm</c>, embeddings as <c>MESHFLOW_EMBEDDINGS</c> chooses) and
    /// the health check that exercises it.
    /// </summary>
    /// <exception cref="MeshFlowConfigurationException">MESHFLOW_EMBEDDINGS, or the connection it names, is wrong.</exception>
    public static IHostApplicationBuilder AddWorkerEngine(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        try
        {
            builder.Services.AddMeshFlowEmbeddings(builder.Configuration);
        }
        catch (FormatException ex)
        {
            throw new MeshFlowConfigurationException(ex.Message, ex);
        }

        builder.Services.AddMeshFlowEngine();
        builder.Services.AddHealthChecks().AddCheck<EngineHealthCheck>("engine");

        return builder;
    }
}
