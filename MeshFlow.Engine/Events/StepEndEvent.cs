using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Runs;

namespace MeshFlow.Events;

/// <summary>A step ended. It carries the full output, so a client that missed deltas loses no content.</summary>
public sealed record StepEndEvent : MeshEvent
{
    /// <summary>The step's full output.</summary>
    public required string Output { get; init; }

    /// <summary>The step pipeline's verdict.</summary>
    public Verdict Verdict { get; init; }

    /// <summary>Why the step was blocked or escalated, when it was.</summary>
    public BlockReason? BlockReason { get; init; }

    /// <summary>What the check that blocked or escalated the step said (never a secret's value).</summary>
    public string? BlockDetail { get; init; }

    /// <summary>The <c>did:key</c> of the agent that ran the step, for agent steps.</summary>
    public string? AgentDid { get; init; }

    /// <summary>The highest risk tier of the step's actions (its model call and tool calls), when assessed.</summary>
    public RiskTier? RiskTier { get; init; }

    /// <summary>The rule that set <see cref="RiskTier"/> (for example <c>declared</c> or <c>shell_destructive</c>).</summary>
    public string? RiskRule { get; init; }

    /// <summary>The step's uncertainty score in [0, 1], for agent steps.</summary>
    public double? Uncertainty { get; init; }

    /// <summary>Token usage of the step.</summary>
    public TokenUsage Tokens { get; init; }

    /// <summary>Cost of the step in US dollars.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Wall time of the step in milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>The model the step called, or null.</summary>
    public string? Model { get; init; }

    /// <summary>True when the model is the built-in offline model.</summary>
    public bool Offline { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.StepEnd;
}
