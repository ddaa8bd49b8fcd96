namespace MeshFlow.Retrieval.Documents;

/// <summary>A document to ingest into a knowledge base.</summary>
/// <param name="Text">The document's text.</param>
public sealed record KnowledgeDocument(string Text)
{
    /// <summary>
    /// The document's id within its knowledge base; ingesting an id again replaces the document. Null takes an id made
    /// from the text, so ingesting the same text twice keeps one copy.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>Where the document comes from (a file name or URL), returned with its chunks and matched by the <c>source</c> filter key.</summary>
    public string? Source { get; init; }

    /// <summary>String metadata returned with every chunk of the document and matched by retrieval filters.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
