namespace MeshFlow.Retrieval.Documents;

/// <summary>How a retrieval filter is read: every pair must hold, <c>source</c> on a chunk's source, other keys on its metadata.</summary>
internal static class KnowledgeFilter
{
    /// <summary>The filter key that matches a document's <see cref="KnowledgeDocument.Source"/>.</summary>
    public const string SourceKey = "source";

    public static bool Matches(KnowledgeChunk chunk, IReadOnlyDictionary<string, string>? filter)
    {
        if (filter is null)
        {
            return true;
        }

        foreach (var (name, value) in filter)
        {
            var actual = string.Equals(name, SourceKey, StringComparison.Ordinal) ? chunk.Source : chunk.Metadata?.GetValueOrDefault(name);
            if (!string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
