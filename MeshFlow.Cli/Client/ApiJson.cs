using System.Text.Encodings.Web;
using System.Text.Json;

namespace MeshFlow.Cli.Client;

/// <summary>
/// The API's JSON conventions (web defaults, snake_case names): what the CLI reads from a server, and how it writes
/// the API's own view records in embedded mode, so both modes print the same shapes.
/// </summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    // Written for people and files, not HTML: '+' and non-ASCII text stay as they are.
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A value as the API would answer it, as a document.</summary>
    public static JsonDocument ToDocument<T>(T value) => JsonSerializer.SerializeToDocument(value, Options);

    /// <summary>A JSON value, indented, for people and for files.</summary>
    public static string Pretty(JsonElement element) => JsonSerializer.Serialize(element, Indented);

    /// <summary>Reads an answer into a CLI record; an answer of another shape is a one-line error.</summary>
    public static T Read<T>(JsonElement element, string what)
    {
        try
        {
            return element.Deserialize<T>(Options) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new CliException($"the server's answer for {what} is not in the shape this CLI reads ({ex.Message}): is the CLI as new as the server?",
                CliExitCodes.Failure, ex);
        }
    }
}
