using System.Text.Json.Serialization;

namespace MeshFlow.Runs;

/// <summary>One chunk a rag step retrieved and put in front of its task, as its ledger record lists it.</summary>
/// <param name="Number">The chunk's number in the step's output (<c>[1]</c>, <c>[2]</c>...), as an answer cites it.</param>
/// <param name="ChunkId">The chunk's id in its knowledge base.</param>
/// <param name="DocumentId">The document the chunk belongs to.</param>
/// <param name="Source">Where the document came from (a file name, a URL), if it said.</param>
/// <param name="Position">The chunk's index in its document (0-based).</param>
/// <param name="Score">The retrieval score that ranked it (higher is better; its scale depends on the retrieval mode).</param>
public sealed record RetrievedChunkRecord(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("chunk_id")] string ChunkId,
    [property: JsonPropertyName("document_id")] string DocumentId,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("position")] int Position,
    [property: JsonPropertyName("score")] double Score);
