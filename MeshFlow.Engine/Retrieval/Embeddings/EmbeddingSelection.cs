using MeshFlow.Agents;
using MeshFlow.Agents.Providers;
using Microsoft.Extensions.AI;

namespace MeshFlow.Retrieval.Embeddings;

/// <summary>The embedder <c>MESHFLOW_EMBEDDINGS</c> chose (<see cref="EmbeddingSettings.Read"/>).</summary>
/// <param name="Source">Local, TF-IDF, or a connection's model.</param>
public sealed record EmbeddingSelection(EmbeddingSource Source)
{
    /// <summary>The connection whose <see cref="LlmConnection.Embeddings"/> model embeds, for <see cref="EmbeddingSource.Connection"/>.</summary>
    public LlmConnection? Connection { get; init; }

    /// <summary>
    /// The generator of a TF-IDF or connection choice; null for <see cref="EmbeddingSource.Local"/>, whose model lives
    /// in its own package (<c>MeshFlow.Embeddings.MiniLM</c>).
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? CreateGenerator(ChatProviderOptions? options = null) => Source switch
    {
        EmbeddingSource.TfIdf => new TfIdfEmbeddingGenerator(),
        EmbeddingSource.Connection => EmbeddingProviders.Create(Connection!, options),
        _ => null,
    };
}
