using Microsoft.Extensions.AI;

namespace MeshFlow.Agents;

/// <summary>The chat client an agent node calls, with what events and records say about it.</summary>
/// <param name="Client">The client to stream from.</param>
/// <param name="ModelId">The model's name in events and records.</param>
/// <param name="Offline">True for the built-in offline model.</param>
/// <param name="Pricing">What its tokens cost.</param>
public sealed record ResolvedModel(IChatClient Client, string ModelId, bool Offline, ModelPricing Pricing);
