namespace MeshFlow.Api.Knowledge;

/// <summary><c>GET /knowledge</c>: the tenant's knowledge bases, by name.</summary>
public sealed record KnowledgeBaseList(IReadOnlyList<string> KnowledgeBases);

/// <summary>One document a <c>POST /knowledge/{name}/documents</c> ingested: its id (to search by and delete), its source and how many chunks it made.</summary>
public sealed record IngestedDocumentView(string Id, string? Source, int Chunks);

/// <summary>The answer of <c>POST /knowledge/{name}/documents</c>.</summary>
public sealed record IngestResult(string KnowledgeBase, IReadOnlyList<IngestedDocumentView> Documents);

/// <summary>One chunk a search found, best first.</summary>
public sealed record ChunkView(string ChunkId, string DocumentId, string? Source, int Position, double Score, string Text)
{
    /// <summary>The document's metadata, if it had any.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>The answer of <c>GET /knowledge/{name}/search</c>; <c>mode</c> is the one asked for, null for the knowledge bases' default.</summary>
public sealed record SearchResult(string KnowledgeBase, string Query, string? Mode, IReadOnlyList<ChunkView> Chunks);

/// <summary>The JSON body of <c>POST /knowledge/{name}/documents</c>, as the OpenAPI document describes it.</summary>
public sealed record IngestRequest(IReadOnlyList<IngestRequestDocument> Documents);

/// <summary>A document of <see cref="IngestRequest"/>: <c>text</c> is required; an <c>id</c> sent again replaces that document.</summary>
public sealed record IngestRequestDocument(string Text, string? Id, string? Source, IReadOnlyDictionary<string, string>? Metadata);
