namespace MeshFlow.Retrieval.Embeddings;

/// <summary>Where a host's embeddings come from (<c>MESHFLOW_EMBEDDINGS</c>).</summary>
public enum EmbeddingSource
{
    /// <summary>all-MiniLM-L6-v2 in the process (<c>local</c>, the default).</summary>
    Local,

    /// <summary>The model-free TF-IDF embedder (<c>tfidf</c>).</summary>
    TfIdf,

    /// <summary>The <c>Embeddings=</c> model of an LLM connection (its name).</summary>
    Connection,
}
