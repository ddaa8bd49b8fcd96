using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using MeshFlow.Http;
using Microsoft.Extensions.AI;
using OpenAI;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// OpenAI and every OpenAI-compatible endpoint (Gemini's, Bedrock's, a local server's): the OpenAI client through
/// Microsoft.Extensions.AI, with the direct stream for plain completions.
/// </summary>
internal sealed class OpenAiProvider : IProviderErrors
{
    public static readonly OpenAiProvider Instance = new();

    private static readonly Uri OpenAiEndpoint = new("https://api.openai.com/v1");

    public static IChatClient Create(LlmConnection connection, string model, ChatProviderOptions options, Uri? endpoint = null)
    {
        endpoint ??= connection.Endpoint;
        var clientOptions = new OpenAIClientOptions
        {
            // The resilience layer owns retries and the circuit breaker: the client's own retries would hide failures
            // from the breaker and multiply a rate limit's requests.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.NetworkTimeout,
        };
        if (endpoint is not null)
        {
            clientOptions.Endpoint = endpoint;
        }

        // OpenAI-compatible servers without auth still need a non-empty credential on the wire.
        var key = connection.Key ?? "unused";
        var client = new OpenAIClient(new ApiKeyCredential(key), clientOptions);
        return new OpenAiDirectStreamingClient(client.GetChatClient(model).AsIChatClient(), options.Http, endpoint ?? OpenAiEndpoint, key, model,
            options.NetworkTimeout);
    }

    public LlmProviderException? Classify(Exception error, LlmConnection connection, string model)
    {
        if (error is not ClientResultException result)
        {
            return null;
        }

        var status = result.Status == 0 ? (HttpStatusCode?)null : (HttpStatusCode)result.Status;
        return new LlmProviderException(connection.ConfigurationName, model, status,
            $"the provider behind '{connection.ConfigurationName}' ({connection.Provider}) refused model '{model}': {result.Message}",
            transient: status is not { } code || LlmProviderException.IsTransientStatus(code), RetryAfterOf(result.GetRawResponse()), result);
    }

    private static TimeSpan? RetryAfterOf(PipelineResponse? response) =>
        response?.Headers.TryGetValue("Retry-After", out var value) == true ? RetryAfter.Of(value) : null;
}
