using MeshFlow.Runs;

namespace MeshFlow.Governance;

/// <summary>What a step produced, as shown to the checks after its call.</summary>
/// <param name="Output">The step's full output.</param>
/// <param name="Tokens">Its token usage.</param>
/// <param name="CostUsd">Its cost.</param>
public sealed record StepOutcome(string Output, TokenUsage Tokens, decimal CostUsd)
{
    /// <summary>The tool calls the step made, with their results.</summary>
    public IReadOnlyList<ToolCallRecord> ToolCalls { get; init; } = [];
}
