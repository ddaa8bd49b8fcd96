using Microsoft.Extensions.AI;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// Resolves a provider connection's name to a chat client (the spec's <c>provider_for</c>): OpenAI and compatible
/// endpoints, Azure OpenAI, Anthropic, Ollama, Gemini and Bedrock, each as an <see cref="IChatClient"/> that streams
/// and reports usage, and whose failures are <see cref="LlmProviderException"/>s.
/// </summary>
public static class ChatProviders
{
    /// <summary>A client for <paramref name="model"/> (null: the connection's own) of the connection named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No connection has that name; the message lists those that do.</exception>
    public static IChatClient Create(string name, ChatProviderOptions options, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Connections.TryGetValue(name, out var connection))
        {
            throw new ArgumentException(
                $"no LLM connection is named '{name}' (configured: {(options.Connections.Count == 0 ? "none" : string.Join(", ", options.Connections.Keys.Order(StringComparer.Ordinal)))})",
                nameof(name));
        }

        return Create(connection, options, model);
    }

    /// <summary>A client for <paramref name="model"/> (null: the connection's own) of <paramref name="connection"/>.</summary>
    public static IChatClient Create(LlmConnection connection, ChatProviderOptions options, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        model ??= connection.Model;
        var (client, errors) = connection.Provider switch
        {
            LlmProviders.OpenAi => (OpenAiProvider.Create(connection, model, options), (IProviderErrors)OpenAiProvider.Instance),
            LlmProviders.Anthropic => (AnthropicProvider.Create(connection, model, options), AnthropicProvider.Instance),
            LlmProviders.Bedrock => BedrockProvider.Create(connection, model, options),
            LlmProviders.Azure => (AzureOpenAiProvider.Create(connection, model, options), AzureOpenAiProvider.Instance),
            LlmProviders.Ollama => (OllamaProvider.Create(connection, model, options), OllamaProvider.Instance),
            LlmProviders.Gemini => (GeminiProvider.Create(connection, model, options), GeminiProvider.Instance),
            LlmProviders.Voyage => throw new NotSupportedException(EmbeddingsOnly(connection)),
            _ => throw new NotSupportedException($"provider '{connection.Provider}' of the LLM connection '{connection.ConfigurationName}' is not available in this build"),
        };
        return new ProviderErrorClient(client, connection, model, errors, [.. options.Secrets()]);
    }

    internal static string EmbeddingsOnly(LlmConnection connection) =>
        $"the LLM connection '{connection.ConfigurationName}' is of provider {connection.Provider}, which serves embeddings only: " +
        "give agent nodes a chat model of another connection";
}
