namespace MeshFlow.Retrieval.Chunking;

/// <summary>A piece of a document: an exact substring of it, <c>text[Start..End]</c>.</summary>
/// <param name="Position">The chunk's index in its document, from 0.</param>
/// <param name="Start">The offset of the chunk's first character in the document.</param>
/// <param name="End">The offset just past the chunk's last character.</param>
/// <param name="Text">The chunk's text.</param>
public sealed record TextChunk(int Position, int Start, int End, string Text);
