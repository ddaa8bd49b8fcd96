using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Apis;

/// <summary>A request's JSON body, or the 400 that answers a body that is not JSON.</summary>
public static partial class JsonBody
{
    /// <summary>
    /// How deeply a body's JSON may nest. A workflow definition sent as a JSON object sits one level below the body,
    /// so the body allows more than the definition reader's bound (<see cref="Declarative.WorkflowYaml.MaxNestingDepth"/>):
    /// a definition that nests too deeply is refused by that reader, with its line and column in the definition.
    /// </summary>
    public const int MaxDepth = 2 * Declarative.WorkflowYaml.MaxNestingDepth;

    /// <summary>
    /// How deeply a value the request carries for the run (its <c>input</c>, <c>policy</c> or <c>metadata</c>) may nest.
    /// Such values are recorded inside other JSON (the ledger's run_start payload, for one), which System.Text.Json
    /// writes and reads back no deeper than 64 levels, so they keep well under that instead of failing once accepted.
    /// </summary>
    public const int MaxValueDepth = Declarative.WorkflowYaml.MaxNestingDepth / 2;

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
            // RFC 8259 (section 8.1) lets a parser ignore a UTF-8 byte order mark, and clients send one; Parse over bytes rejects it.
            if (bytes.Span.StartsWith(Utf8Bom))
            {
                bytes = bytes[Utf8Bom.Length..];
            }

            document = JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException ex)
        {
            // The exception's message ends with the same position 0-based; the detail states it once, 1-based.
            return (null, ApiProblems.BadRequest("body", string.Create(CultureInfo.InvariantCulture,
                $"the body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1} of the line): {WithoutPosition(ex.Message)}")));
        }

        if (FirstUnpairedSurrogate(bytes.Span) is { } offset)
        {
            document.Dispose();
            return (null, ApiProblems.BadRequest("body", string.Create(CultureInfo.InvariantCulture,
                $"the body is not valid text: the JSON string at byte offset {offset} escapes a lone UTF-16 surrogate (\\uD800 to \\uDFFF without its pair), which no UTF-8 text can hold")));
        }

        return (document, null);
    }

    /// <summary>How many lists and objects deep <paramref name="element"/> nests: 0 for a string, number, boolean or null.</summary>
    public static int DepthOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => 1 + element.EnumerateObject().Select(p => DepthOf(p.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => 1 + element.EnumerateArray().Select(DepthOf).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static string WithoutPosition(string message) => JsonPosition().Replace(message ?? string.Empty, string.Empty).TrimEnd();

    [GeneratedRegex(@"\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex JsonPosition();

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
