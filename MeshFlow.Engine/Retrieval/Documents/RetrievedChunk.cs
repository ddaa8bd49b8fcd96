namespace MeshFlow.Retrieval.Documents;

/// <summary>A chunk a retrieval found.</summary>
/// <param name="ChunkId">The chunk's id.</param>
/// <param name="DocumentId">The id of the document it is part of.</param>
/// <param name="Source">The document's source, if it has one.</param>
/// <param name="Position">The chunk's index in its document, from 0.</param>
/// <param name="Text">The chunk's text.</param>
/// <param name="Score">
/// How well it matches, higher is better: cosine similarity in <see cref="RetrievalMode.Vector"/> mode, the BM25 score
/// in <see cref="RetrievalMode.Keyword"/> mode, the reciprocal-rank-fusion score in <see cref="RetrievalMode.Hybrid"/> mode.
/// </param>
public sealed record RetrievedChunk(string ChunkId, string DocumentId, string? Source, int Position, string Text, double Score)
{
    /// <summary>The document's metadata, if it has any.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
