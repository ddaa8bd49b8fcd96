namespace MeshFlow.Retrieval.Embeddings;

/// <summary>
/// An embedding model could not be loaded (for the local model: its native runtime, ONNX Runtime, is missing or does
/// not fit this machine). Defined in the engine so callers catch it without referencing the model's package.
/// </summary>
/// <remarks>The message names the package, the cause in one line and the fallback; it never holds a key.</remarks>
public sealed class EmbeddingModelUnavailableException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public EmbeddingModelUnavailableException()
        : base("the embedding model is not available")
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public EmbeddingModelUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and the load failure behind it.</summary>
    public EmbeddingModelUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
