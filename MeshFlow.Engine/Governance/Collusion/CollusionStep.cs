using MeshFlow.Runs;

namespace MeshFlow.Governance.Collusion;

/// <summary>What a <see cref="CollusionAuditor"/> sees of a finished step.</summary>
public sealed record CollusionStep
{
    /// <summary>The step.</summary>
    public required string StepId { get; init; }

    /// <summary>The step's node.</summary>
    public required string NodeId { get; init; }

    /// <summary>The step's agent, or null (the node then stands for the agent).</summary>
    public string? AgentId { get; init; }

    /// <summary>The agent's role, such as <c>critic</c>, <c>reviewer</c> or <c>writer</c>, if the workflow names one.</summary>
    public string? Role { get; init; }

    /// <summary>The step's output.</summary>
    public required string Output { get; init; }

    /// <summary>The outputs the step was given.</summary>
    public IReadOnlyList<CollusionInput> Inputs { get; init; } = [];

    /// <summary>The step's tool calls.</summary>
    public IReadOnlyList<ToolCallRecord> ToolCalls { get; init; } = [];

    /// <summary>The tools the step's agent may call, or null when nothing restricts them.</summary>
    public IReadOnlySet<string>? Capabilities { get; init; }
}
