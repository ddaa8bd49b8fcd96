using Microsoft.Extensions.AI;

namespace MeshFlow.Agents;

/// <summary>The chat client an agent node calls, with what events and records say about it.</summary>
/// <param name="Client">The client to stream from.</param>
/// <param name="ModelId">The model's name in events and records.</param>
/// <param name="Offline">True for the built-in offline model.</param>
/// <param name="Pricing">What its tokens cost (<see cref="ModelPricing.Free"/> when <see cref="PriceKnown"/> is false).</param>
public sealed record ResolvedModel(IChatClient Client, string ModelId, bool Offline, ModelPricing Pricing)
{
    /// <summary>The provider kind (<see cref="LlmProviders"/>); null for the built-in models and a node's own client.</summary>
    public string? Provider { get; init; }

    /// <summary>The connection's configured name (<c>llm</c>, <c>llm-anthropic</c>); null when no connection is used.</summary>
    public string? Connection { get; init; }

    /// <summary>False when neither the price table nor the configuration prices the model: its cost is not known.</summary>
    public bool PriceKnown { get; init; } = true;

    /// <summary>The models a step fails over to, in order, when this one is refused by its breaker or fails before its first token.</summary>
    public IReadOnlyList<ResolvedModel> Fallbacks { get; init; } = [];
}
