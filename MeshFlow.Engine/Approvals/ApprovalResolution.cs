namespace MeshFlow.Approvals;

/// <summary>A decision on one pause, as the store applies it.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="RunId">The run.</param>
/// <param name="PauseSeq">The pause it resolves (the sequence number of its <c>hitl_pause</c> record).</param>
/// <param name="State"><see cref="ApprovalState.Approved"/> or <see cref="ApprovalState.Rejected"/>.</param>
/// <param name="ReviewerId">Who decided (<c>system:timeout</c> for an expiry).</param>
/// <param name="Notes">The reviewer's notes, or null.</param>
/// <param name="DecidedAt">When.</param>
public sealed record ApprovalResolution(string TenantId, string RunId, long PauseSeq, string State, string ReviewerId, string? Notes,
    DateTimeOffset DecidedAt);
