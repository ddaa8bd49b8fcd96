using MeshFlow.Governance;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Events;

/// <summary>The run paused because a check escalated a step to a human.</summary>
public sealed record HitlPauseEvent : MeshEvent
{
    /// <summary>Why the step was escalated.</summary>
    public required string Reason { get; init; }

    /// <summary>Which kind of check escalated it (for example <c>dasc</c> or <c>uncertainty</c>).</summary>
    public BlockReason? BlockReason { get; init; }

    /// <summary>The risk tier of the action that needs approval, when a risk check escalated it.</summary>
    public RiskTier? Tier { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.HitlPause;
}
