namespace MeshFlow.Dashboard.ApiClient;

/// <summary>A reviewer's decision on one pause of a run: who decides (recorded in the ledger), approve or reject, and why.</summary>
public sealed record PauseDecision(string RunId, long PauseSeq, bool Approve, string ReviewerId, string? Notes);
