namespace MeshFlow.Dashboard.ApiClient;

/// <summary>One tool call of a step, with its JSON arguments and its result (null when none arrived).</summary>
public sealed record ToolCallView(string CallId, string Name, string Arguments, string? Result, double? DurationMs = null, string? RiskTier = null);
