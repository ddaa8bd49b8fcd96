using System.Collections.Concurrent;
using MeshFlow.Agents.Providers;
using MeshFlow.Agents.Resilience;
using MeshFlow.Governance;
using MeshFlow.Observability;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;
using Polly;

namespace MeshFlow.Agents;

/// <summary>
/// Resolves an agent node's model to a chat client: its own <see cref="AgentNode.ChatClient"/>, the built-in
/// <c>offline</c> and <c>scripted</c> models, or a model of one of the configured LLM connections, priced from the
/// price table and the configuration's prices.
/// </summary>
public sealed class ChatModelCatalog
{
    private readonly ConcurrentDictionary<(string Connection, string Model), IChatClient> _providerClients = new();
    private readonly ConcurrentDictionary<string, ResiliencePipeline> _breakers = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
    private readonly ChatProviderOptions _providers;
    private readonly PriceTable _prices;
    private readonly IReadOnlyDictionary<string, ModelPricing> _overrides;
    private readonly ResolvedModel _offline;

    /// <summary>Creates a catalog over the configured connections, a price table and per-model prices that override it.</summary>
    /// <param name="providers">The connections and how their clients are made.</param>
    /// <param name="prices">The price table (<see cref="PriceTable.Default"/>, or a deployment's over it).</param>
    /// <param name="overrides">Prices by <c>model</c> or <c>provider/model</c>, over the table.</param>
    /// <param name="time">The clock of retry delays and circuit breakers.</param>
    public ChatModelCatalog(ChatProviderOptions providers, PriceTable prices, IReadOnlyDictionary<string, ModelPricing>? overrides = null,
        TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(prices);
        _providers = providers;
        _prices = prices;
        _overrides = overrides ?? new Dictionary<string, ModelPricing>();
        _offline = new ResolvedModel(Traced(OfflineChatClient.Instance), ModelNames.Offline, Offline: true, ModelPricing.Free);
    }

    /// <summary>The default LLM connection (<c>ConnectionStrings:llm</c>), if any.</summary>
    public LlmConnection? Connection => (_providers.Connections.TryGetValue(LlmConnection.DefaultName, out var c) ? c : null);

    /// <summary>Every configured connection by name.</summary>
    public IReadOnlyDictionary<string, LlmConnection> Connections => _providers.Connections.AsReadOnly();

    /// <summary>
    /// Resolves a node's model. Scripted models get a fresh client, so call this once per node per run: the
    /// script's position belongs to the run.
    /// </summary>
    /// <exception cref="InvalidOperationException">The node names a connection or provider model that is not configured.</exception>
    public ResolvedModel Resolve(AgentNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.ChatClient is { } own)
        {
            var id = node.Model ?? own.GetService<ChatClientMetadata>()?.DefaultModelId ?? "custom";
            var price = PriceOf(id);
            return new ResolvedModel(Traced(own), id, Offline: false, price ?? ModelPricing.Free) { PriceKnown = price is not null };
        }

        switch (node.Model)
        {
            case ModelNames.Offline when node.Provider is null:
                return _offline;
            case ModelNames.Scripted when node.Provider is null:
                return new ResolvedModel(Traced(new ScriptedChatClient(node.Responses, node.Id)), ModelNames.Scripted, Offline: false, ModelPricing.Free);
            case null when node.Provider is null && Connection is null:
                return _offline;
        }

        var primary = ResolveProvider(node, node.Model);
        return node.FallbackModels.Count == 0 ? primary : primary with { Fallbacks = [.. node.FallbackModels.Select(m => ResolveProvider(node, m))] };
    }

    // A provider model, behind its connection's retries and circuit breaker (one breaker per connection, whichever
    // of its models is asked).
    private ResolvedModel ResolveProvider(AgentNode node, string? modelText)
    {
        var (connection, model) = Locate(node, modelText);
        var client = _providerClients.GetOrAdd((connection.Name, model), key =>
        {
            var breaker = _breakers.GetOrAdd(key.Connection, _ => ProviderResilience.Build(_providers.Resilience, _time, _providers.LoggerFactory, LlmConnection.ConfigurationNameOf(key.Connection)));
            var target = _providers.Connections[key.Connection];
            return Traced(new ResilientChatClient(ChatProviders.Create(target, _providers, key.Model), breaker, target.ConfigurationName, key.Model));
        });
        var pricing = PriceOf(connection, model);
        return new ResolvedModel(client, model, Offline: false, pricing ?? ModelPricing.Free)
        {
            Provider = connection.Provider, Connection = connection.ConfigurationName, PriceKnown = pricing is not null,
        };
    }

    // Every model call gets a GenAI span (chat {model}) from Microsoft.Extensions.AI, on MeshFlow's ActivitySource, outside
    // the retries: one span per call the step makes. Content is recorded only when the deployment asks for it. A node's
    // own client that already traces is left as it is.
    private IChatClient Traced(IChatClient client) =>
        client.GetService<OpenTelemetryChatClient>() is not null
            ? client
            : client.AsBuilder()
                .UseOpenTelemetry(sourceName: MeshFlowTelemetry.Name, configure: telemetry => telemetry.EnableSensitiveData = _providers.TraceContent)
                .Build();

    /// <summary>
    /// What stops a node's model from running under <paramref name="policy"/>, found before the run starts: a connection
    /// that is not configured, or a model with no price under a policy with a dollar budget. Null when nothing does.
    /// </summary>
    public string? Problem(AgentNode node, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(policy);
        if (node.ChatClient is not null || (node.Provider is null && node.Model is ModelNames.Offline or ModelNames.Scripted)
            || (node.Provider is null && node.Model is null && Connection is null))
        {
            return null;
        }

        foreach (var modelText in node.FallbackModels.Prepend(node.Model))
        {
            LlmConnection connection;
            string model;
            try
            {
                (connection, model) = Locate(node, modelText);
            }
            catch (InvalidOperationException ex)
            {
                return ex.Message;
            }

            if (policy.MaxCostUsd > 0 && PriceOf(connection, model) is null)
            {
                return Unpriced(node, connection, model, policy);
            }
        }

        return null;
    }

    internal static string Unpriced(AgentNode node, LlmConnection connection, string model, Policy policy) =>
        $"node '{node.Id}' uses model '{model}' of '{connection.ConfigurationName}' ({connection.Provider}), which has no price, " +
        $"under a policy with max_cost_usd ({policy.MaxCostUsd}): add its price to MESHFLOW_PRICES_FILE or the engine's Pricing";

    private (LlmConnection Connection, string Model) Locate(AgentNode node, string? modelText)
    {
        var reference = ModelReference.Parse(modelText, node.Provider, name => FindConnection(name) is not null || LlmProviders.All.Contains(name));
        LlmConnection? connection;
        if (reference.Provider is { } provider)
        {
            connection = FindConnection(provider) ?? throw new InvalidOperationException(
                _providers.Connections.Values.Count(c => string.Equals(c.Provider, provider, StringComparison.OrdinalIgnoreCase)) > 1
                ? $"node '{node.Id}' asks for provider '{provider}', which more than one LLM connection is: name the connection instead " +
                  $"(configured: {Configured()})"
                : $"node '{node.Id}' asks for provider '{provider}', but no LLM connection is named so or is of that kind: set " +
                $"ConnectionStrings:{LlmConnection.ConfigurationNameOf(provider)} (Provider={(LlmProviders.All.Contains(provider) ? provider : "<kind>")};Key=...;Model=...)" +
                $" (configured: {Configured()})");
        }
        else
        {
            connection = Connection ?? throw new InvalidOperationException(
                $"node '{node.Id}' asks for model '{reference.Model}', but no default LLM connection is configured: set " +
                "ConnectionStrings:llm (Provider=openai;Endpoint=...;Key=...;Model=...), name a provider " +
                $"(configured: {Configured()}) or use model 'offline'");
        }

        if (connection.Provider == LlmProviders.Voyage)
        {
            throw new InvalidOperationException($"node '{node.Id}': {ChatProviders.EmbeddingsOnly(connection)}");
        }

        return (connection, reference.Model ?? connection.Model);
    }

    // A connection by its name, else the one connection of that provider kind.
    private LlmConnection? FindConnection(string name)
    {
        if (_providers.Connections.TryGetValue(name, out var named))
        {
            return named;
        }

        LlmConnection? ofKind = null;
        foreach (var connection in _providers.Connections.Values)
        {
            if (string.Equals(connection.Provider, name, StringComparison.OrdinalIgnoreCase))
            {
                if (ofKind is not null)
                {
                    // Two connections of the kind: the name must say which.
                    return null;
                }

                ofKind = connection;
            }
        }

        return ofKind;
    }

    private string Configured() => _providers.Connections.Count == 0
        ? "none"
        : string.Join(", ", _providers.Connections.Values.Select(c => $"{c.ConfigurationName} ({c.Provider})").Order(StringComparer.Ordinal));

    // The configuration's price for the model, else the connection's own, else the table's.
    private ModelPricing? PriceOf(LlmConnection connection, string model)
    {
        if (_overrides.TryGetValue(connection.Provider + "/" + model, out var scoped) || _overrides.TryGetValue(model, out scoped))
        {
            return scoped;
        }

        return connection.Pricing ?? _prices.Find(connection.Provider, model);
    }

    // A node's own client: the configuration's price for its model, else the table's under any provider.
    private ModelPricing? PriceOf(string model) =>
        _overrides.TryGetValue(model, out var price) ? price : _prices.ByModel.GetValueOrDefault(model);
}
