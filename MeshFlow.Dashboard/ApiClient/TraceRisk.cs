namespace MeshFlow.Dashboard.ApiClient;

/// <summary>A step's risk finding: the tier (low, medium, high, critical), the rule that set it, the action and why.</summary>
public sealed record TraceRisk(string Tier, string Rule, string Action, string? Detail);
