using System.Text.Json.Serialization;

namespace MeshFlow.Governance.Risk;

/// <summary>What the risk check found for a step, as its ledger record and events keep it.</summary>
/// <param name="Tier">The highest tier among the step's actions.</param>
/// <param name="Rule">The rule that set it (for example <c>declared</c>, <c>policy_override</c>, <c>shell_destructive</c>).</param>
/// <param name="Action">The action it belongs to: <c>model</c> (an agent's model call), <c>node</c> (a function or router node's own call), or the tool's name.</param>
/// <param name="Detail">Why, for people; names an argument, never a secret's value.</param>
public sealed record RiskFinding(
    [property: JsonPropertyName("tier")] RiskTier Tier,
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("detail")] string? Detail);
