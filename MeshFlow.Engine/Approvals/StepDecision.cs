namespace MeshFlow.Approvals;

/// <summary>The decision on a step's latest pause, as a resumed run reads it from the ledger.</summary>
/// <param name="State"><see cref="ApprovalState.Approved"/> or <see cref="ApprovalState.Rejected"/>.</param>
/// <param name="Stage">Where the step paused (<see cref="ApprovalStage"/>), which decides what approval does.</param>
/// <param name="ReviewerId">Who decided.</param>
/// <param name="Notes">The reviewer's notes, or null.</param>
internal sealed record StepDecision(string State, string Stage, string ReviewerId, string? Notes);
