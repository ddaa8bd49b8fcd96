using System.Text.Json.Serialization;

namespace MeshFlow.Ledger;

/// <summary>
/// The payload of a collusion record: what the collusion audit found across the run's agents, recorded after the step
/// that completed the pattern. It names agents, steps and tools, never their content.
/// </summary>
public sealed record CollusionPayload
{
    /// <summary>The pattern: <c>critic_echo</c>, <c>approval_ring</c> or <c>split_action</c>.</summary>
    [JsonPropertyName("pattern")] public required string Pattern { get; init; }

    /// <summary>The agents involved.</summary>
    [JsonPropertyName("agents")] public IReadOnlyList<string> Agents { get; init; } = [];

    /// <summary>Their steps, in the order the pattern formed.</summary>
    [JsonPropertyName("steps")] public IReadOnlyList<string> Steps { get; init; } = [];

    /// <summary>Why, for people.</summary>
    [JsonPropertyName("detail")] public required string Detail { get; init; }

    /// <summary>What the policy made of it: <c>record</c>, or <c>escalate</c> (the step waits for a human).</summary>
    [JsonPropertyName("action")] public required string Action { get; init; }
}
