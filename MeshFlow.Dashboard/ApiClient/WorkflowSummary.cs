namespace MeshFlow.Dashboard.ApiClient;

/// <summary>A registered workflow, as <c>GET /workflows</c> lists it.</summary>
public sealed record WorkflowSummary(string Name, string? Description, int Nodes, string Source, string File, bool Runnable, string? Problem);
