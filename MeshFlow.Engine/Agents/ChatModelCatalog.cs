using System.ClientModel;
using System.Collections.Concurrent;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;
using OpenAI;

namespace MeshFlow.Agents;

/// <summary>
/// Resolves an agent node's model to a chat client: its own <see cref="AgentNode.ChatClient"/>, the built-in
/// <c>offline</c> and <c>scripted</c> models, or a model of the configured LLM connection.
/// </summary>
public sealed class ChatModelCatalog
{
    private static readonly Uri OpenAiEndpoint = new("https://api.openai.com/v1");

    // The one HTTP client the direct streams use, as the OpenAI client shares one: connections are pooled per endpoint
    // and renewed every few minutes, so a changed DNS record is picked up.
    private static readonly HttpClient StreamingHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = OpenAiDirectStreamingClient.DefaultIdleTimeout,
    };

    private readonly ConcurrentDictionary<string, IChatClient> _providerClients = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, ModelPricing> _pricing;
    private readonly ResolvedModel _offline;

    /// <summary>Creates a catalog over an optional LLM connection and a price table.</summary>
    public ChatModelCatalog(LlmConnection? connection, IReadOnlyDictionary<string, ModelPricing> pricing)
    {
        ArgumentNullException.ThrowIfNull(pricing);
        Connection = connection;
        _pricing = pricing;
        _offline = new ResolvedModel(OfflineChatClient.Instance, ModelNames.Offline, Offline: true, ModelPricing.Free);
    }

    /// <summary>The configured LLM connection, if any.</summary>
    public LlmConnection? Connection { get; }

    /// <summary>
    /// Resolves a node's model. Scripted models get a fresh client, so call this once per node per run: the
    /// script's position belongs to the run.
    /// </summary>
    /// <exception cref="InvalidOperationException">The node names a provider model and no LLM connection is configured.</exception>
    public ResolvedModel Resolve(AgentNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.ChatClient is { } own)
        {
            var id = node.Model ?? own.GetService<ChatClientMetadata>()?.DefaultModelId ?? "custom";
            return new ResolvedModel(own, id, Offline: false, PriceOf(id));
        }

        switch (node.Model)
        {
            case ModelNames.Offline:
                return _offline;
            case ModelNames.Scripted:
                return new ResolvedModel(new ScriptedChatClient(node.Responses, node.Id), ModelNames.Scripted, Offline: false, ModelPricing.Free);
            case null when Connection is null:
                return _offline;
        }

        if (Connection is null)
        {
            throw new InvalidOperationException(
                $"node '{node.Id}' asks for model '{node.Model}', but no LLM connection is configured: set " +
                "ConnectionStrings:llm (Provider=openai;Endpoint=...;Key=...;Model=...) or use model 'offline'");
        }

        var model = node.Model ?? Connection.Model;
        var client = _providerClients.GetOrAdd(model, CreateProviderClient);
        return new ResolvedModel(client, model, Offline: false, PriceOf(model));
    }

    private ModelPricing PriceOf(string model) =>
        _pricing.TryGetValue(model, out var price) ? price : ModelPricing.Free;

    private IChatClient CreateProviderClient(string model)
    {
        var connection = Connection!;
        var options = new OpenAIClientOptions();
        if (connection.Endpoint is not null)
        {
            options.Endpoint = connection.Endpoint;
        }

        // OpenAI-compatible servers without auth still need a non-empty credential on the wire.
        var key = connection.Key ?? "unused";
        var client = new OpenAIClient(new ApiKeyCredential(key), options);
        return new OpenAiDirectStreamingClient(client.GetChatClient(model).AsIChatClient(), StreamingHttp, connection.Endpoint ?? OpenAiEndpoint, key, model);
    }
}
