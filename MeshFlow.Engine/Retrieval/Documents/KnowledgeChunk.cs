namespace MeshFlow.Retrieval.Documents;

/// <summary>One chunk as a knowledge base's snapshot holds it: everything of its vector entry but the vector.</summary>
internal sealed record KnowledgeChunk(
    string Key,
    string DocumentId,
    string? Source,
    int Position,
    string Text,
    IReadOnlyDictionary<string, string>? Metadata,
    string EmbeddingModel,
    DateTimeOffset CreatedAt);
