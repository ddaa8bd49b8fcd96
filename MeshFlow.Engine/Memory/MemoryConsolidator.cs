using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Memory;

/// <summary>
/// Keeps a scope's memories few and distinct: a new memory that is a near-duplicate of one the scope holds is merged into
/// it rather than added, and a scope over its budget loses the memories least worth keeping.
/// </summary>
/// <remarks>
/// <para>Near-duplicates: with embeddings, a cosine similarity of at least <see cref="AgentMemoryStoreOptions.DuplicateSimilarity"/>;
/// without, the same text (ignoring case, spacing and punctuation) or a content-word overlap (Jaccard) of at least
/// <see cref="AgentMemoryStoreOptions.KeywordDuplicateSimilarity"/>. A merge keeps the memory's key and creation time,
/// takes the newer text, vector and run, and counts one use.</para>
/// <para>Eviction order (<see cref="EvictionOrder"/>): the memory last used longest ago first; among those last used at
/// the same time, the one used least; then the oldest written; then by key, so the order is total.</para>
/// </remarks>
public sealed class MemoryConsolidator(AgentMemoryStoreOptions options)
{
    /// <summary>The order in which a scope over its budget loses memories: the first ones go.</summary>
    public static IComparer<VectorEntry> EvictionOrder { get; } = Comparer<VectorEntry>.Create(static (a, b) =>
    {
        var order = a.LastUsedAt.CompareTo(b.LastUsedAt);
        if (order == 0)
        {
            order = a.UseCount.CompareTo(b.UseCount);
        }

        if (order == 0)
        {
            order = a.CreatedAt.CompareTo(b.CreatedAt);
        }

        return order != 0 ? order : string.CompareOrdinal(a.Key, b.Key);
    });

    /// <summary>Of a new memory's nearest neighbours in its scope (by cosine similarity), the one it duplicates, or null.</summary>
    public VectorEntry? FindDuplicate(IEnumerable<(VectorEntry Entry, double Score)> nearest)
    {
        ArgumentNullException.ThrowIfNull(nearest);
        VectorEntry? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var (entry, score) in nearest)
        {
            if (score >= options.DuplicateSimilarity && score > bestScore)
            {
                (best, bestScore) = (entry, score);
            }
        }

        return best;
    }

    /// <summary>Without embeddings: the memory of the scope that <paramref name="text"/> duplicates, or null.</summary>
    public VectorEntry? FindDuplicate(string text, IEnumerable<VectorEntry> scope)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(scope);
        var words = KeywordOverlap.Words(text);
        VectorEntry? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var entry in scope)
        {
            var score = KeywordOverlap.Similarity(words, KeywordOverlap.Words(entry.Text));
            if (score > bestScore && (score >= options.KeywordDuplicateSimilarity || SameText(text, entry.Text)))
            {
                (best, bestScore) = (entry, score);
            }
        }

        return best;
    }

    /// <summary>
    /// The memory <paramref name="existing"/> with <paramref name="newer"/> merged in: its key and creation time kept,
    /// the newer text, vector, model and run taken, one more use counted at the newer one's time.
    /// </summary>
    public static VectorEntry Merge(VectorEntry existing, VectorEntry newer)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(newer);
        return existing with
        {
            Text = newer.Text, Vector = newer.Vector, EmbeddingModel = newer.EmbeddingModel, RunId = newer.RunId ?? existing.RunId,
            UseCount = existing.UseCount + 1, LastUsedAt = newer.LastUsedAt > existing.LastUsedAt ? newer.LastUsedAt : existing.LastUsedAt,
        };
    }

    /// <summary>The memories a scope holding <paramref name="scope"/> must lose to be within its budget, in eviction order.</summary>
    public IReadOnlyList<VectorEntry> SelectEvictions(IReadOnlyCollection<VectorEntry> scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var excess = scope.Count - options.MaxEntriesPerScope;
        return excess <= 0 ? [] : [.. scope.Order(EvictionOrder).Take(excess)];
    }

    // The same text, apart from case, spacing and punctuation.
    private static bool SameText(string first, string second)
    {
        var (i, j) = (0, 0);
        while (true)
        {
            while (i < first.Length && !char.IsLetterOrDigit(first[i]))
            {
                i++;
            }

            while (j < second.Length && !char.IsLetterOrDigit(second[j]))
            {
                j++;
            }

            if (i == first.Length || j == second.Length)
            {
                return i == first.Length && j == second.Length;
            }

            if (char.ToLowerInvariant(first[i]) != char.ToLowerInvariant(second[j]))
            {
                return false;
            }

            (i, j) = (i + 1, j + 1);
        }
    }
}
