using System.ClientModel;
using System.Globalization;
using System.Text.Json;
using MeshFlow.Http;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// Google Gemini through its OpenAI-compatible endpoint (<c>{base}chat/completions</c>, the key as a bearer token),
/// with the OpenAI client. Google's own SDK is not on the package mirror this project builds from. Two of the
/// endpoint's ways differ from OpenAI's and are handled here: a stream reports its running usage in every chunk, and
/// errors come as <c>[{"error": {"code", "message", "status", "details"}}]</c>, a rate limit's wait in
/// <c>google.rpc.RetryInfo</c>.
/// </summary>
internal sealed class GeminiProvider : IProviderErrors
{
    public static readonly GeminiProvider Instance = new();

    public static IChatClient Create(LlmConnection connection, string model, ChatProviderOptions options) =>
        new GeminiUsageClient(OpenAiProvider.Create(connection, model, options, connection.Endpoint ?? LlmProviders.GeminiEndpoint));

    public LlmProviderException? Classify(Exception error, LlmConnection connection, string model)
    {
        if (error is not ClientResultException result || OpenAiProvider.Instance.Classify(error, connection, model) is not { } classified)
        {
            return null;
        }

        var (text, retryDelay) = Read(result.GetRawResponse()?.Content);
        return new LlmProviderException(classified.Connection, classified.Model, classified.Status,
            $"Gemini behind '{connection.ConfigurationName}' refused model '{model}': HTTP {result.Status}{(text is null ? "" : ": " + text)}",
            classified.IsTransient, classified.RetryAfter ?? retryDelay, result);
    }

    // Google's error: the status and message of the first error, and a RetryInfo's retryDelay ("7s", "0.5s").
    private static (string? Text, TimeSpan? RetryDelay) Read(BinaryData? body)
    {
        if (body is null || body.ToMemory().IsEmpty)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body.ToMemory());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var e) || e.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var message = e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var status = e.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            TimeSpan? delay = null;
            if (e.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in details.EnumerateArray())
                {
                    if (detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty("retryDelay", out var d) && d.ValueKind == JsonValueKind.String
                        && d.GetString() is { Length: > 1 } text && text.EndsWith('s')
                        && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                    {
                        delay = RetryAfter.Seconds(seconds);
                    }
                }
            }

            return (status is null ? message : $"{status}: {message}", delay);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
