using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using MeshFlow.Agents;
using MeshFlow.Agents.Providers;
using MeshFlow.Agents.Resilience;
using Microsoft.Extensions.AI;
using OpenAI;

namespace MeshFlow.Retrieval.Embeddings;

/// <summary>
/// Turns an LLM connection's <c>Embeddings=&lt;model&gt;</c> into an embedding generator: OpenAI and OpenAI-compatible
/// endpoints and Azure OpenAI through the OpenAI SDK's Microsoft.Extensions.AI adapter, Gemini through its
/// OpenAI-compatible endpoint, Ollama through OllamaSharp, and Voyage AI over HTTP.
/// </summary>
/// <remarks>
/// Every generator batches to its provider's limit, retries transient failures behind a circuit breaker as chat calls
/// do, reports failures as <see cref="LlmProviderException"/>s that never carry the key, and reports its provider,
/// model and (when known) dimension through <see cref="EmbeddingGeneratorMetadata"/>.
/// </remarks>
public static class EmbeddingProviders
{
    /// <summary>A generator for the connection's <see cref="LlmConnection.Embeddings"/> model.</summary>
    /// <param name="connection">The connection; its <c>Embeddings</c> must be set.</param>
    /// <param name="options">The HTTP client, timeouts and resilience to use; defaults when null.</param>
    /// <param name="time">The clock of retry delays and the circuit breaker.</param>
    /// <exception cref="ArgumentException">The connection names no embedding model, or its provider serves none.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(LlmConnection connection, ChatProviderOptions? options = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new ChatProviderOptions();
        var model = connection.Embeddings ?? throw new ArgumentException(
            $"the LLM connection '{connection.ConfigurationName}' names no embedding model (for example Embeddings={LlmProviders.ExampleEmbeddings(connection.Provider)})",
            nameof(connection));
        var (inner, errors, limits) = connection.Provider switch
        {
            LlmProviders.OpenAi => (OpenAi(connection, model, options, connection.Endpoint), (IProviderErrors?)OpenAiProvider.Instance, EmbeddingBatchLimits.OpenAi),
            LlmProviders.Gemini => (OpenAi(connection, model, options, connection.Endpoint ?? LlmProviders.GeminiEndpoint), GeminiProvider.Instance, EmbeddingBatchLimits.Gemini),
            LlmProviders.Azure => (Azure(connection, model, options), AzureOpenAiProvider.Instance, EmbeddingBatchLimits.OpenAi),
            LlmProviders.Ollama => (Ollama(connection, model, options), OllamaProvider.Instance, EmbeddingBatchLimits.Ollama),
            LlmProviders.Voyage => (new VoyageEmbeddingGenerator(options.Http, connection, model, options.NetworkTimeout), null, EmbeddingBatchLimits.Voyage),
            _ => throw new ArgumentException(
                $"the LLM connection '{connection.ConfigurationName}' is of provider {connection.Provider}, which serves no embeddings " +
                $"(those that do: {string.Join(", ", LlmProviders.WithEmbeddings)})", nameof(connection)),
        };
        var resilience = ProviderResilience.Build(options.Resilience, time ?? TimeProvider.System, options.LoggerFactory, connection.ConfigurationName);
        // The connection's own key and token are masked too when it is not among the options' connections.
        string[] secrets = [.. options.Secrets().Concat([connection.Key, connection.Token]).OfType<string>().Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)];
        return new RemoteEmbeddingGenerator(inner, connection, model, errors, secrets, resilience, limits);
    }

    private static IEmbeddingGenerator<string, Embedding<float>> OpenAi(LlmConnection connection, string model, ChatProviderOptions options, Uri? endpoint)
    {
        var clientOptions = new OpenAIClientOptions
        {
            // The resilience layer owns retries, as for chat.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.NetworkTimeout,
            Transport = new HttpClientPipelineTransport(options.Http),
        };
        if (endpoint is not null)
        {
            clientOptions.Endpoint = endpoint;
        }

        // OpenAI-compatible servers without auth still need a non-empty credential on the wire.
        var client = new OpenAIClient(new ApiKeyCredential(connection.Key ?? "unused"), clientOptions);
        return client.GetEmbeddingClient(model).AsIEmbeddingGenerator(EmbeddingModels.DimensionsOf(model));
    }

    private static IEmbeddingGenerator<string, Embedding<float>> Azure(LlmConnection connection, string deployment, ChatProviderOptions options)
    {
        var endpoint = connection.Endpoint
            ?? throw new ArgumentException($"the LLM connection '{connection.ConfigurationName}' (provider azure) has no Endpoint", nameof(connection));
        var clientOptions = new AzureOpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.NetworkTimeout,
            Transport = new HttpClientPipelineTransport(options.Http),
        };
        clientOptions.AddPolicy(new AzureApiVersionPolicy(connection.ApiVersion ?? LlmProviders.DefaultAzureApiVersion), PipelinePosition.PerCall);
        var client = connection.Key is { } key
            ? new AzureOpenAIClient(endpoint, new ApiKeyCredential(key), clientOptions)
            : new AzureOpenAIClient(endpoint, new AzureBearerToken(connection.Token!), clientOptions);
        return client.GetEmbeddingClient(deployment).AsIEmbeddingGenerator();
    }

    private static OllamaProviderClient Ollama(LlmConnection connection, string model, ChatProviderOptions options)
    {
        var endpoint = connection.Endpoint ?? LlmProviders.OllamaEndpoint;
        if (!endpoint.AbsolutePath.EndsWith('/'))
        {
            endpoint = new Uri(endpoint.AbsoluteUri + "/");
        }

        return new OllamaProviderClient(options.Http, endpoint, model, connection.Key, options.NetworkTimeout);
    }
}
