namespace MeshFlow.Ledger;

/// <summary>A run's checkpoint: the state to resume from, as of record <see cref="Seq"/>.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="RunId">The run.</param>
/// <param name="Seq">The record this checkpoint goes with; it is committed in the same transaction.</param>
/// <param name="State">The checkpoint as JSON.</param>
public sealed record LedgerCheckpoint(string TenantId, string RunId, long Seq, string State);
