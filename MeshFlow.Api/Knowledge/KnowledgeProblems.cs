using MeshFlow.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Knowledge;

/// <summary>The knowledge API's ProblemDetails answers beyond the shared ones: each names the field, file or knowledge base.</summary>
public static class KnowledgeProblems
{
    /// <summary>
    /// The 404 of a knowledge base the caller's tenant does not have: the same whether it is missing or another
    /// tenant's, so the answer tells nothing of other tenants.
    /// </summary>
    public static ProblemHttpResult KnowledgeBaseNotFound(string name) =>
        TypedResults.Problem(title: "Knowledge base not found", detail: $"no knowledge base '{name}' exists", statusCode: StatusCodes.Status404NotFound);

    /// <summary>The 404 of a document its knowledge base does not hold.</summary>
    public static ProblemHttpResult DocumentNotFound(string name, string documentId) =>
        TypedResults.Problem(title: "Document not found", detail: $"knowledge base '{name}' has no document '{documentId}'",
            statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// The 503 of an embedder that cannot embed now (a local model that does not load, a provider that refuses or is
    /// down). The detail is the first line of the cause's message, which these exceptions keep free of keys.
    /// </summary>
    public static ProblemHttpResult EmbedderUnavailable(string name, string cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        var line = cause.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        var firstLine = (end < 0 ? line : line[..end]).ToString();
        return TypedResults.Problem(title: "The embedding model is unavailable",
            detail: $"knowledge base '{name}' cannot be embedded or searched now: {firstLine}", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>A 413: a file, or a request's files together, holding more text than one request may index.</summary>
    public static ProblemHttpResult TooLarge(string field, string problem) =>
        Problem("The documents hold too much text", problem, field, StatusCodes.Status413PayloadTooLarge);

    /// <summary>A 415: a file of a type no extractor reads.</summary>
    public static ProblemHttpResult UnsupportedType(string field, string problem) =>
        Problem("The file type is not supported", problem, field, StatusCodes.Status415UnsupportedMediaType);

    /// <summary>A 422: a readable file that holds no text (a scanned PDF, say).</summary>
    public static ProblemHttpResult NoText(string field, string problem) =>
        Problem("The file holds no text", problem, field, StatusCodes.Status422UnprocessableEntity);

    private static ProblemHttpResult Problem(string title, string detail, string field, int status) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status,
            extensions: new Dictionary<string, object?> { ["errors"] = new[] { new WorkflowValidationError(WorkflowErrorCodes.InvalidValue, detail, field) } });
}
