using System.Text.Json.Serialization;

namespace MeshFlow.Governance.Collusion;

/// <summary>A pattern of agents covering for one another, found by a <see cref="CollusionAuditor"/>.</summary>
/// <param name="Pattern">One of <see cref="CollusionPatterns"/>.</param>
/// <param name="Agents">The agents involved (agent ids, or node ids for steps without one), in the order of <paramref name="Steps"/>.</param>
/// <param name="Steps">The steps that make up the pattern: <c>Steps[i]</c> is a step of <c>Agents[i]</c>.</param>
/// <param name="Detail">For people: numbers, ids and tool names only, never quoted content (outputs may hold personal data).</param>
public sealed record CollusionFinding(
    [property: JsonPropertyName("pattern")] string Pattern,
    [property: JsonPropertyName("agents")] IReadOnlyList<string> Agents,
    [property: JsonPropertyName("steps")] IReadOnlyList<string> Steps,
    [property: JsonPropertyName("detail")] string Detail);
