using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// Azure OpenAI through the Azure.AI.OpenAI client: requests go to the deployment's path with the connection's
/// <c>api-version</c>, authenticated by the <c>api-key</c> header or a bearer token. Its failures are the OpenAI
/// client's, told with the deployment they were for.
/// </summary>
internal sealed class AzureOpenAiProvider : IProviderErrors
{
    public static readonly AzureOpenAiProvider Instance = new();

    public static IChatClient Create(LlmConnection connection, string model, ChatProviderOptions options)
    {
        var endpoint = connection.Endpoint
            ?? throw new InvalidOperationException($"the LLM connection '{connection.ConfigurationName}' (provider azure) has no Endpoint");
        var clientOptions = new AzureOpenAIClientOptions
        {
            // The resilience layer owns retries and the circuit breaker, as for OpenAI.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.NetworkTimeout,
            Transport = new HttpClientPipelineTransport(options.Http),
        };

        // The client's ServiceVersion enum knows only the versions it shipped with; Azure serves many more (previews
        // among them), so the connection's version goes on the wire whatever the enum says.
        clientOptions.AddPolicy(new AzureApiVersionPolicy(connection.ApiVersion ?? LlmProviders.DefaultAzureApiVersion), PipelinePosition.PerCall);
        var client = connection.Key is { } key
            ? new AzureOpenAIClient(endpoint, new ApiKeyCredential(key), clientOptions)
            : new AzureOpenAIClient(endpoint, new AzureBearerToken(connection.Token!), clientOptions);
        return client.GetChatClient(DeploymentOf(connection, model)).AsIChatClient();
    }

    /// <summary>
    /// The deployment that serves <paramref name="model"/>: the connection's <c>Deployment</c> for its own model, and
    /// a deployment named after any other model a node asks for (Azure's usual naming).
    /// </summary>
    public static string DeploymentOf(LlmConnection connection, string model) =>
        string.Equals(model, connection.Model, StringComparison.OrdinalIgnoreCase) ? connection.Deployment ?? model : model;

    public LlmProviderException? Classify(Exception error, LlmConnection connection, string model)
    {
        // The status, whether it is transient and Retry-After are read as for OpenAI; the message adds the deployment,
        // which is what an Azure administrator looks for.
        if (error is not ClientResultException result || OpenAiProvider.Instance.Classify(error, connection, model) is not { } classified)
        {
            return null;
        }

        return new LlmProviderException(classified.Connection, classified.Model, classified.Status,
            $"Azure OpenAI behind '{connection.ConfigurationName}' refused model '{model}' (deployment '{DeploymentOf(connection, model)}'): {result.Message}",
            classified.IsTransient, classified.RetryAfter, result);
    }
}
