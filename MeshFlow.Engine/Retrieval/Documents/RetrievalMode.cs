namespace MeshFlow.Retrieval.Documents;

/// <summary>How a knowledge base ranks chunks for a query.</summary>
public enum RetrievalMode
{
    /// <summary>Reciprocal rank fusion (k = 60) of the BM25 and the vector rankings.</summary>
    Hybrid,

    /// <summary>Cosine similarity of the query's embedding to the chunks'.</summary>
    Vector,

    /// <summary>BM25 over the chunks' words.</summary>
    Keyword,
}
