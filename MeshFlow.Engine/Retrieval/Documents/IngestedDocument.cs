namespace MeshFlow.Retrieval.Documents;

/// <summary>A document a knowledge base has chunked, embedded and indexed.</summary>
/// <param name="DocumentId">The document's id (given, or made from its text).</param>
/// <param name="ChunkIds">Its chunks' ids, in document order.</param>
public sealed record IngestedDocument(string DocumentId, IReadOnlyList<string> ChunkIds);
