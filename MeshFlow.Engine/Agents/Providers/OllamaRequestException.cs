using System.Net;
using System.Text.Json;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// What an Ollama server answered instead of a chat stream (<c>{"error": "..."}</c> with its status), or the error
/// line it wrote into a stream that had begun (no status).
/// </summary>
internal sealed class OllamaRequestException(HttpStatusCode? status, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    // Enough of a body for any error Ollama writes; a proxy's HTML page is cut there.
    private const int MaxBody = 4096;

    public HttpStatusCode? Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static async Task<OllamaRequestException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var text = ErrorText(body) ?? (body.Length > MaxBody ? body[..MaxBody] + "..." : body);
        if (text.Length == 0)
        {
            text = response.ReasonPhrase ?? "no error text";
        }

        return new OllamaRequestException(response.StatusCode, text, Http.RetryAfter.Of(response.Headers.RetryAfter));
    }

    /// <summary>The <c>error</c> of Ollama's <c>{"error": "..."}</c>, or null when the text is not that.</summary>
    public static string? ErrorText(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                reader.Read();
                if (isError && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the caller shows the text as it came.
        }

        return null;
    }

    private static string? ErrorText(string body) => body.Length == 0 ? null : ErrorText(System.Text.Encoding.UTF8.GetBytes(body));
}
