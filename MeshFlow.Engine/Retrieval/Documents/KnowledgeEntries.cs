using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Retrieval.Documents;

/// <summary>How knowledge chunks are keyed and kept as <see cref="VectorEntry"/> records.</summary>
internal static class KnowledgeEntries
{
    /// <summary>The longest document id.</summary>
    public const int MaxDocumentIdLength = 256;

    /// <summary>A chunk's key: its document's id, a colon and its position, so one document's keys never meet another's.</summary>
    public static string Key(string documentId, int position) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{documentId}:{position}");

    /// <summary>The id of a document given none: a hash of its text, so ingesting the same text again replaces it.</summary>
    public static string DocumentIdFor(string text) =>
        "doc-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));

    public static string? SerializeMetadata(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is { Count: > 0 } ? JsonSerializer.Serialize(metadata, KnowledgeJsonContext.Default.IReadOnlyDictionaryStringString) : null;

    public static IReadOnlyDictionary<string, string>? DeserializeMetadata(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize(json, KnowledgeJsonContext.Default.DictionaryStringString);

    public static KnowledgeChunk ToChunk(VectorEntry entry) => new(
        entry.Key,
        entry.DocumentId ?? "",
        entry.Source,
        entry.Position,
        entry.Text,
        DeserializeMetadata(entry.Metadata),
        entry.EmbeddingModel,
        entry.CreatedAt);

    public static RetrievedChunk ToRetrieved(KnowledgeChunk chunk, double score) =>
        new(chunk.Key, chunk.DocumentId, chunk.Source, chunk.Position, chunk.Text, score) { Metadata = chunk.Metadata };
}
