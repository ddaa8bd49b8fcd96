namespace MeshFlow.Retrieval.Embeddings;

/// <summary>The dimensions of well-known remote embedding models, reported before their first call.</summary>
internal static class EmbeddingModels
{
    private static readonly Dictionary<string, int> Dimensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text-embedding-3-small"] = 1536,
        ["text-embedding-3-large"] = 3072,
        ["text-embedding-ada-002"] = 1536,
        ["text-embedding-004"] = 768,
        ["voyage-3"] = 1024,
        ["voyage-3-large"] = 1024,
        ["voyage-3.5"] = 1024,
        ["voyage-3-lite"] = 512,
        ["voyage-3.5-lite"] = 1024,
        ["voyage-code-3"] = 1024,
        ["nomic-embed-text"] = 768,
        ["mxbai-embed-large"] = 1024,
        ["all-minilm"] = 384,
    };

    /// <summary>The model's dimension when it is a well-known one (an Ollama tag such as <c>:latest</c> is ignored).</summary>
    public static int? DimensionsOf(string model)
    {
        var name = model.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? model[..colon] : model;
        return Dimensions.TryGetValue(name, out var dimensions) ? dimensions : null;
    }
}
