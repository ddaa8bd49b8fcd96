using MeshFlow.Agents.Providers;
using MeshFlow.Retrieval.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Embeddings.MiniLM;

/// <summary>Registers MeshFlow's embedders; <c>AddMeshFlowEngine</c> gives the registered one to memory and knowledge.</summary>
public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LocalEmbeddingGenerator"/> as the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of
    /// strings, unless one is registered already (a user's own registration wins), and a hosted service that loads the
    /// model in the background at start-up (a failure there is logged; the host still starts).
    /// </summary>
    public static IServiceCollection AddMeshFlowLocalEmbeddings(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(_ => new LocalEmbeddingGenerator());
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(provider => provider.GetRequiredService<LocalEmbeddingGenerator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LocalEmbeddingWarmUp>());
        return services;
    }

    /// <summary>
    /// Registers the embedder <c>MESHFLOW_EMBEDDINGS</c> chooses (<see cref="EmbeddingSettings"/>): the local model (the
    /// default, <see cref="AddMeshFlowLocalEmbeddings"/>), TF-IDF, or an LLM connection's <c>Embeddings=</c> model;
    /// unless an embedder is registered already. The setting is read now, so a wrong one stops start-up.
    /// </summary>
    /// <exception cref="FormatException">The setting, or the connection it names, is wrong; the message names it.</exception>
    public static IServiceCollection AddMeshFlowEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var selection = EmbeddingSettings.Read(configuration);
        if (selection.Source == EmbeddingSource.Local)
        {
            return services.AddMeshFlowLocalEmbeddings();
        }

        services.TryAddSingleton(provider =>
            selection.CreateGenerator(new ChatProviderOptions { LoggerFactory = provider.GetService<ILoggerFactory>() })!);
        return services;
    }
}
