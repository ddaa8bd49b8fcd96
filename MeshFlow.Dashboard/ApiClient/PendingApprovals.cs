namespace MeshFlow.Dashboard.ApiClient;

/// <summary>The answer of <c>GET /hitl/pending</c>.</summary>
public sealed record PendingApprovals(IReadOnlyList<PendingApproval> Pending);
