namespace MeshFlow.Dashboard.ApiClient;

/// <summary>The answer of <c>GET /workflows</c>.</summary>
public sealed record WorkflowList(IReadOnlyList<WorkflowSummary> Workflows);
