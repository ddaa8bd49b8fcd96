namespace MeshFlow.Api.Apis;

/// <summary>What <c>GET /workflows</c> answers: the registered workflows, by name.</summary>
public sealed record WorkflowList(IReadOnlyList<WorkflowListItem> Workflows);
