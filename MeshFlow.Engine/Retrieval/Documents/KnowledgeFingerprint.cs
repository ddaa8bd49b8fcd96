using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Retrieval.Documents;

/// <summary>
/// What a knowledge base's chunks are, in a few numbers: their count and order-independent hashes of each chunk's key,
/// creation time and embedding model. A chunk added, removed, replaced (a new creation time) or re-embedded with
/// another model changes it, whichever process made the change.
/// </summary>
internal readonly record struct KnowledgeFingerprint(int Count, long Sum, int Xor)
{
    public static KnowledgeFingerprint Of(IReadOnlyCollection<VectorEntry> entries)
    {
        long sum = 0;
        var xor = 0;
        foreach (var entry in entries)
        {
            var hash = HashCode.Combine(
                StringComparer.Ordinal.GetHashCode(entry.Key), entry.CreatedAt.UtcTicks, StringComparer.Ordinal.GetHashCode(entry.EmbeddingModel));
            sum += hash;
            xor ^= hash;
        }

        return new KnowledgeFingerprint(entries.Count, sum, xor);
    }
}
