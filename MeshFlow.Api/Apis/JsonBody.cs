using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Apis;

/// <summary>A request's JSON body, or the 400 that answers a body that is not JSON.</summary>
public static class JsonBody
{
    /// <summary>The parsed body (the caller disposes it), or a problem naming <c>Content-Type</c> or <c>body</c>.</summary>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ApiProblems.BadRequest("Content-Type", "the body must be JSON (Content-Type: application/json)"));
        }

        try
        {
            return (await JsonDocument.ParseAsync(request.Body, default, cancellationToken), null);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadRequest("body", $"the body is not valid JSON: {ex.Message}"));
        }
    }
}
