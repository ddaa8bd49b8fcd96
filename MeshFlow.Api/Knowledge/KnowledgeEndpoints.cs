using System.Globalization;
using MeshFlow.Agents.Providers;
using MeshFlow.Api.Apis;
using MeshFlow.Api.Security;
using MeshFlow.Execution;
using MeshFlow.Retrieval.Documents;
using MeshFlow.Retrieval.Embeddings;
using MeshFlow.Retrieval.Vectors;
using MeshFlow.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Knowledge;

/// <summary>
/// The tenant's knowledge bases: <c>GET /knowledge</c>, <c>POST /knowledge/{name}/documents</c>,
/// <c>GET /knowledge/{name}/search</c> and <c>DELETE /knowledge/{name}/documents/{id}</c>.
/// </summary>
/// <remarks>
/// Every key of the tenant (user, reviewer, admin) may read and write them, as every key may start runs that read
/// them: a document is the tenant's working material, like a run's input, not governance. Another tenant's
/// knowledge base answers 404 exactly as a missing one does.
/// </remarks>
public static class KnowledgeEndpoints
{
    /// <summary>The longest query a search takes, in characters.</summary>
    public const int MaxQueryLength = 4000;

    /// <summary>Maps the knowledge routes.</summary>
    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var knowledge = app.MapGroup("/knowledge").WithTags("Knowledge");
        knowledge.MapGet("/", ListAsync).WithName("ListKnowledgeBases").WithSummary("The tenant's knowledge bases, by name.");
        knowledge.MapPost("/{name}/documents", IngestAsync).WithName("IngestDocuments")
            .WithSummary("Chunks, embeds and indexes documents (JSON, or files: text, Markdown, HTML, PDF); creates the knowledge base if needed. " +
                "A document id sent again replaces that document; a file's id is its name.")
            .Accepts<IngestRequest>("application/json", "multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        knowledge.MapGet("/{name}/search", SearchAsync).WithName("SearchKnowledgeBase")
            .WithSummary("The top_k chunks (1-50, default 4) most relevant to q, best first, by mode (hybrid, vector or keyword).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        knowledge.MapDelete("/{name}/documents/{id}", DeleteAsync).WithName("DeleteDocument")
            .WithSummary("Removes a document and its chunks from the knowledge base.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary><c>GET /knowledge</c>.</summary>
    public static async Task<Ok<KnowledgeBaseList>> ListAsync(HttpContext context, MeshFlowEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(engine);
        var names = await engine.Knowledge.ListAsync(context.User.GetTenantId(), cancellationToken);
        return TypedResults.Ok(new KnowledgeBaseList(names));
    }

    /// <summary><c>POST /knowledge/{name}/documents</c>.</summary>
    public static async Task<Results<Created<IngestResult>, ProblemHttpResult>> IngestAsync(
        string name, HttpContext context, MeshFlowEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(engine);
        if (NameProblem(name) is { } badName)
        {
            return badName;
        }

        var (documents, problem) = await KnowledgeUploadReader.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        IReadOnlyList<IngestedDocument> ingested;
        try
        {
            ingested = await engine.Knowledge.IngestAsync(context.User.GetTenantId(), name, documents!, cancellationToken);
        }
        catch (KnowledgeBaseNotFoundException)
        {
            return KnowledgeProblems.KnowledgeBaseNotFound(name);
        }
        catch (EmbeddingModelUnavailableException ex)
        {
            return KnowledgeProblems.EmbedderUnavailable(name, ex.Message);
        }
        catch (LlmProviderException ex)
        {
            return KnowledgeProblems.EmbedderUnavailable(name, ex.Message);
        }
        catch (VectorModelMismatchException ex)
        {
            return ModelMismatch(name, ex);
        }
        catch (ArgumentException ex)
        {
            // What the knowledge base refuses beyond the reader's checks (a document id it cannot hold, say).
            return ApiProblems.BadRequest("documents", ex.Message);
        }

        var views = ingested.Select((d, i) => new IngestedDocumentView(d.DocumentId, documents![i].Source, d.ChunkIds.Count)).ToList();
        return TypedResults.Created($"/knowledge/{name}/search", new IngestResult(name, views));
    }

    /// <summary><c>GET /knowledge/{name}/search?q=&amp;top_k=&amp;mode=</c>.</summary>
    public static async Task<Results<Ok<SearchResult>, ProblemHttpResult>> SearchAsync(
        string name, HttpContext context, MeshFlowEngine engine, CancellationToken cancellationToken, string? q = null,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "top_k")] string? topK = null, string? mode = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(engine);
        if (NameProblem(name) is { } badName)
        {
            return badName;
        }

        if (string.IsNullOrWhiteSpace(q))
        {
            return ApiProblems.BadRequest("q", "'q' is required: the text to search for");
        }

        if (q.Length > MaxQueryLength)
        {
            return ApiProblems.BadRequest("q", string.Create(CultureInfo.InvariantCulture, $"'q' is {q.Length} characters; at most {MaxQueryLength} are allowed"));
        }

        var count = RagNode.DefaultTopK;
        if (topK is not null && (!int.TryParse(topK, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > RagNode.MaxTopK))
        {
            return ApiProblems.BadRequest("top_k", $"'top_k' must be a whole number from 1 to {RagNode.MaxTopK}, not '{topK}'");
        }

        RetrievalMode? retrieval = null;
        if (mode is not null)
        {
            if (!TryParseMode(mode, out var parsed))
            {
                return ApiProblems.BadRequest("mode", $"'mode' must be hybrid, vector or keyword, not '{mode}'");
            }

            retrieval = parsed;
        }

        IReadOnlyList<RetrievedChunk> chunks;
        try
        {
            chunks = await engine.Knowledge.RetrieveAsync(context.User.GetTenantId(), name, q, count, mode: retrieval, cancellationToken: cancellationToken);
        }
        catch (KnowledgeBaseNotFoundException)
        {
            return KnowledgeProblems.KnowledgeBaseNotFound(name);
        }
        catch (VectorModelMismatchException ex)
        {
            return ModelMismatch(name, ex);
        }
        catch (EmbeddingModelUnavailableException ex)
        {
            return KnowledgeProblems.EmbedderUnavailable(name, ex.Message);
        }
        catch (LlmProviderException ex)
        {
            return KnowledgeProblems.EmbedderUnavailable(name, ex.Message);
        }

        return TypedResults.Ok(new SearchResult(name, q, retrieval?.ToString().ToLowerInvariant(),
            [.. chunks.Select(c => new ChunkView(c.ChunkId, c.DocumentId, c.Source, c.Position, c.Score, c.Text) { Metadata = c.Metadata })]));
    }

    /// <summary><c>DELETE /knowledge/{name}/documents/{id}</c>.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string name, string id, HttpContext context, MeshFlowEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(engine);
        if (NameProblem(name) is { } badName)
        {
            return badName;
        }

        var tenant = context.User.GetTenantId();
        if (!await engine.Knowledge.ExistsAsync(tenant, name, cancellationToken))
        {
            return KnowledgeProblems.KnowledgeBaseNotFound(name);
        }

        try
        {
            return await engine.Knowledge.DeleteDocumentAsync(tenant, name, id, cancellationToken)
                ? TypedResults.NoContent()
                : KnowledgeProblems.DocumentNotFound(name, id);
        }
        catch (KnowledgeBaseNotFoundException)
        {
            // Deleted by another request since the check above.
            return KnowledgeProblems.KnowledgeBaseNotFound(name);
        }
        catch (EmbeddingModelUnavailableException ex)
        {
            return KnowledgeProblems.EmbedderUnavailable(name, ex.Message);
        }
        catch (LlmProviderException ex)
        {
            return KnowledgeProblems.EmbedderUnavailable(name, ex.Message);
        }
    }

    private static ProblemHttpResult? NameProblem(string name) =>
        KnowledgeBaseNames.IsValid(name)
            ? null
            : ApiProblems.BadRequest("name", $"'{name}' is not a knowledge base name: use 1 to {KnowledgeBaseNames.MaxLength} lowercase letters, digits, '_' and '-'");

    private static bool TryParseMode(string text, out RetrievalMode mode)
    {
        (var known, mode) = text switch
        {
            "hybrid" => (true, RetrievalMode.Hybrid),
            "vector" => (true, RetrievalMode.Vector),
            "keyword" => (true, RetrievalMode.Keyword),
            _ => (false, default),
        };
        return known;
    }

    private static ProblemHttpResult ModelMismatch(string name, VectorModelMismatchException ex) =>
        ApiProblems.Conflict($"knowledge base '{name}' was embedded with another model than this server uses: {ex.Message}; re-embed it, or configure the model it was embedded with");
}
