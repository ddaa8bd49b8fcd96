namespace MeshFlow.Approvals;

/// <summary>A run waiting for a human, and, once decided, the decision: one row per pause.</summary>
/// <remarks>
/// A pause is keyed by (tenant, run, <see cref="PauseSeq"/>), the sequence number of its <c>hitl_pause</c> ledger
/// record. Times are stored to the millisecond.
/// </remarks>
public sealed record ApprovalPause
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The paused run.</summary>
    public required string RunId { get; init; }

    /// <summary>The sequence number of the pause's <c>hitl_pause</c> record.</summary>
    public required long PauseSeq { get; init; }

    /// <summary>The workflow's name.</summary>
    public required string Workflow { get; init; }

    /// <summary>The node whose step waits.</summary>
    public required string NodeId { get; init; }

    /// <summary>The step that waits (<c>node:iteration</c>).</summary>
    public required string StepId { get; init; }

    /// <summary>Where in the step the run paused (<see cref="ApprovalStage"/>).</summary>
    public required string Stage { get; init; }

    /// <summary>Why a human must decide, in words.</summary>
    public required string Reason { get; init; }

    /// <summary>The kind of check that escalated (for example <c>dasc</c> or <c>uncertainty</c>); null for a human node.</summary>
    public string? BlockReason { get; init; }

    /// <summary>The risk tier that needs approval, when a risk check escalated.</summary>
    public string? Tier { get; init; }

    /// <summary>What the reviewer needs to decide, as a JSON object (workflow, node, input, output, instructions).</summary>
    public required string Context { get; init; }

    /// <summary>When the run paused.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When <see cref="OnTimeout"/> applies if nobody has decided.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>What an expiry resolves to (<c>reject</c>, <c>approve</c>, <c>escalate</c>).</summary>
    public required HitlTimeoutAction OnTimeout { get; init; }

    /// <summary>The wait, in seconds (an escalation extends the deadline by this once).</summary>
    public required int TimeoutSeconds { get; init; }

    /// <summary>Where the pause and its decision are announced, or null.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>Where an expiry is escalated, or null.</summary>
    public string? EscalateTo { get; init; }

    /// <summary>Whether the deadline was already extended by an escalation (a second expiry rejects).</summary>
    public bool Escalated { get; init; }

    /// <summary><see cref="ApprovalState"/>.</summary>
    public string State { get; init; } = ApprovalState.Pending;

    /// <summary>Who decided (<c>system:timeout</c> for an expiry), once decided.</summary>
    public string? ReviewerId { get; init; }

    /// <summary>The reviewer's notes, once decided.</summary>
    public string? Notes { get; init; }

    /// <summary>When it was decided.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The sequence number of the decision's <c>hitl_decision</c> record.</summary>
    public long? DecisionSeq { get; init; }
}
