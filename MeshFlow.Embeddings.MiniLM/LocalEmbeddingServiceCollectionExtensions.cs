using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MeshFlow.Embeddings.MiniLM;

/// <summary>Registers the local embedding model.</summary>
public static class LocalEmbeddingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LocalEmbeddingGenerator"/> as the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of
    /// strings, unless one is registered already (a user's own registration wins), and a hosted service that loads the
    /// model in the background at start-up (a failure there is logged; the host still starts).
    /// </summary>
    public static IServiceCollection AddMeshFlowLocalEmbeddings(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<LocalEmbeddingGenerator>(_ => new LocalEmbeddingGenerator());
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(provider => provider.GetRequiredService<LocalEmbeddingGenerator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LocalEmbeddingWarmUp>());
        return services;
    }
}
