using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// A local (or self-hosted) Ollama server through OllamaSharp, its requests sent on the shared HTTP client. Its
/// failures carry what Ollama said (<c>model "x" not found, try pulling it first</c>).
/// </summary>
internal sealed class OllamaProvider : IProviderErrors
{
    public static readonly OllamaProvider Instance = new();

    public static IChatClient Create(LlmConnection connection, string model, ChatProviderOptions options)
    {
        var endpoint = connection.Endpoint ?? LlmProviders.OllamaEndpoint;

        // A base address without the trailing slash would drop its last segment from "api/chat" (a proxy's prefix).
        if (!endpoint.AbsolutePath.EndsWith('/'))
        {
            endpoint = new Uri(endpoint.AbsoluteUri + "/");
        }

        return new OllamaProviderClient(options.Http, endpoint, model, connection.Key, options.NetworkTimeout);
    }

    public LlmProviderException? Classify(Exception error, LlmConnection connection, string model)
    {
        var where = $"the Ollama server behind '{connection.ConfigurationName}' ({connection.Provider})";
        return error switch
        {
            OllamaRequestException { Status: { } status } refused => new LlmProviderException(connection.ConfigurationName, model, status,
                $"{where} refused model '{model}': HTTP {(int)status} ({status}): {refused.Message}",
                LlmProviderException.IsTransientStatus(status), refused.RetryAfter, refused),

            // An error line in a stream that had begun: the model runner failed mid-answer (out of memory, a crash),
            // which asking again may not meet.
            OllamaRequestException broken => new LlmProviderException(connection.ConfigurationName, model, null,
                $"{where} failed while answering with model '{model}': {broken.Message}", transient: true, inner: broken),
            JsonException json => new LlmProviderException(connection.ConfigurationName, model, null,
                $"{where} sent a line that is not Ollama's JSON for model '{model}': {json.Message}", transient: false, inner: json),
            _ => null,
        };
    }
}
