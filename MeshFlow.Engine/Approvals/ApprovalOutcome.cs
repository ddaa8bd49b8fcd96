namespace MeshFlow.Approvals;

/// <summary>What a decision came to.</summary>
/// <param name="Kind">Decided by this call, or why not.</param>
/// <param name="Pause">The pause as this call (or the decision that won) left it; null when there is none.</param>
/// <param name="RunStatus">The run's status when it is not paused (<see cref="ApprovalOutcomeKind.NotPaused"/>).</param>
public sealed record ApprovalOutcome(ApprovalOutcomeKind Kind, ApprovalPause? Pause = null, string? RunStatus = null);
