namespace MeshFlow.Api.Apis;

/// <summary>One registered workflow, as <c>GET /workflows</c> lists it.</summary>
/// <param name="Name">The name a run sends as <c>"workflow"</c>.</param>
/// <param name="Description">Its <c>description</c>, else the first sentence of the comment its file opens with; null when neither.</param>
/// <param name="Nodes">How many nodes it has.</param>
/// <param name="Source"><c>examples</c> (shipped with the API) or <c>MESHFLOW_WORKFLOWS_DIR</c>.</param>
/// <param name="File">The file inside that folder.</param>
/// <param name="Runnable">Whether this deployment can call every model it names.</param>
/// <param name="Problem">Why it cannot run here (a connection that is not configured); null when it can.</param>
public sealed record WorkflowListItem(string Name, string? Description, int Nodes, string Source, string File, bool Runnable, string? Problem);
