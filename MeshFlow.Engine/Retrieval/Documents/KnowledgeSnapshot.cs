using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Retrieval.Documents;

/// <summary>
/// One knowledge base as it was read at one moment: its chunks without their vectors, the BM25 index over them (built
/// on first use) and a fingerprint that tells whether the collection has changed since.
/// </summary>
internal sealed class KnowledgeSnapshot
{
    private readonly Lazy<KeywordIndex> _keywords;

    public KnowledgeSnapshot(KnowledgeFingerprint fingerprint, int dimensions, IEnumerable<VectorEntry> entries)
    {
        Fingerprint = fingerprint;
        Dimensions = dimensions;
        var chunks = new Dictionary<string, KnowledgeChunk>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            chunks[entry.Key] = KnowledgeEntries.ToChunk(entry);
        }

        Chunks = chunks;
        Model = chunks.Values.Select(chunk => chunk.EmbeddingModel).FirstOrDefault();
        _keywords = new Lazy<KeywordIndex>(() => KeywordIndex.Build(Chunks.Values), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public KnowledgeFingerprint Fingerprint { get; }

    /// <summary>The dimensions of the collection's vectors.</summary>
    public int Dimensions { get; }

    /// <summary>The chunks by key.</summary>
    public IReadOnlyDictionary<string, KnowledgeChunk> Chunks { get; }

    /// <summary>The embedding model of the chunks' vectors; null when the knowledge base has no chunk.</summary>
    public string? Model { get; }

    /// <summary>The BM25 index over the chunks.</summary>
    public KeywordIndex Keywords => _keywords.Value;
}
