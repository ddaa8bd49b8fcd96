using MeshFlow.Embeddings.MiniLM;

namespace MeshFlow.Embeddings.Tests;

/// <summary>One loaded model for a test class: loading it is the expensive part.</summary>
public sealed class LocalModelFixture : IDisposable
{
    public LocalEmbeddingGenerator Generator { get; } = new();

    public void Dispose() => Generator.Dispose();
}
