namespace MeshFlow.Retrieval.Chunking;

/// <summary>Cuts a document into the chunks a knowledge base embeds and indexes.</summary>
/// <remarks>
/// Every chunk is an exact substring of the document with its character offsets, in document order, positions
/// numbered from 0; no chunk is empty or only whitespace. Chunks may overlap. Text without any non-whitespace
/// character gives no chunks.
/// </remarks>
public interface ITextChunker
{
    /// <summary>The chunks of <paramref name="text"/>.</summary>
    IReadOnlyList<TextChunk> Chunk(string text);
}
