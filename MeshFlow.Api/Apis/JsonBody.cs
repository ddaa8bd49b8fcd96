using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Apis;

/// <summary>A request's JSON body, or the 400 that answers a body that is not JSON.</summary>
public static class JsonBody
{
    /// <summary>
    /// How deeply a body's JSON may nest. A workflow definition sent as a JSON object sits one level below the body,
    /// so the body allows more than the definition reader's bound (<see cref="Declarative.WorkflowYaml.MaxNestingDepth"/>):
    /// a definition that nests too deeply is refused by that reader, with its line and column in the definition.
    /// </summary>
    public const int MaxDepth = 2 * Declarative.WorkflowYaml.MaxNestingDepth;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>The parsed body (the caller disposes it), or a problem naming <c>Content-Type</c> or <c>body</c>.</summary>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ApiProblems.BadRequest("Content-Type", "the body must be JSON (Content-Type: application/json)"));
        }

        return await ParseAsync(request, cancellationToken);
    }

    /// <summary>The body parsed as JSON whatever its Content-Type (the caller disposes it), or a problem naming <c>body</c>.</summary>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (bytes, problem) = await Utf8Body.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadRequest("body", string.Create(CultureInfo.InvariantCulture,
                $"the body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1} of the line): {ex.Message}")));
        }

        if (FirstUnpairedSurrogate(bytes.Span) is { } offset)
        {
            document.Dispose();
            return (null, ApiProblems.BadRequest("body", string.Create(CultureInfo.InvariantCulture,
                $"the body is not valid text: the JSON string at byte offset {offset} escapes a lone UTF-16 surrogate (\\uD800 to \\uDFFF without its pair), which no UTF-8 text can hold")));
        }

        return (document, null);
    }

    // An escape such as "\uD800" is valid JSON but decodes to no character: reading it as a string would throw later,
    // inside whichever handler reads that field.
    private static long? FirstUnpairedSurrogate(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return reader.TokenStartIndex;
                }
            }
        }

        return null;
    }
}
