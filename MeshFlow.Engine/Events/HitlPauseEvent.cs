using MeshFlow.Governance;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Events;

/// <summary>
/// The run paused for a human: a check escalated a step, or the workflow reached a <c>kind: human</c> node. The run
/// holds nothing while it waits; a decision (or the deadline) resumes or ends it.
/// </summary>
public sealed record HitlPauseEvent : MeshEvent
{
    /// <summary>Why the step waits, in words.</summary>
    public required string Reason { get; init; }

    /// <summary>Which kind of check escalated it (for example <c>dasc</c> or <c>uncertainty</c>); null for a human node.</summary>
    public BlockReason? BlockReason { get; init; }

    /// <summary>The risk tier of the action that needs approval, when a risk check escalated it.</summary>
    public RiskTier? Tier { get; init; }

    /// <summary>What the reviewer needs, as a JSON object (workflow, node, input, output, instructions); null when unknown.</summary>
    public string? Context { get; init; }

    /// <summary>When the pause resolves by itself (per the policy's <c>on_timeout</c>); null when the run keeps no ledger.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Where a reviewer approves (<c>POST</c>).</summary>
    public string? ApproveUrl { get; init; }

    /// <summary>Where a reviewer rejects (<c>POST</c>).</summary>
    public string? RejectUrl { get; init; }

    /// <inheritdoc />
    public override string Kind => MeshEventKinds.HitlPause;
}
