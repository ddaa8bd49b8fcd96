using Microsoft.Extensions.AI;

namespace MeshFlow.Retrieval.Embeddings;

/// <summary>
/// Says whether texts being embedded are documents to store or a query to search with, for providers that embed the
/// two differently (Voyage AI's <c>input_type</c>); the others ignore it. Unsaid, such a provider embeds neutrally.
/// </summary>
public static class EmbeddingInputType
{
    /// <summary>The key of <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> that carries it.</summary>
    public const string PropertyName = "input_type";

    /// <summary>The texts are a search query.</summary>
    public const string Query = "query";

    /// <summary>The texts are documents (chunks, memories) to be stored and searched.</summary>
    public const string Document = "document";

    /// <summary>New options for embedding a search query.</summary>
    public static EmbeddingGenerationOptions ForQuery() => For(Query);

    /// <summary>New options for embedding documents to store.</summary>
    public static EmbeddingGenerationOptions ForDocuments() => For(Document);

    /// <summary>The input type options carry, or null when they say none.</summary>
    public static string? Of(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyName, out var value) == true && value is string type and (Query or Document) ? type : null;

    private static EmbeddingGenerationOptions For(string type) =>
        new() { AdditionalProperties = new AdditionalPropertiesDictionary { [PropertyName] = type } };
}
