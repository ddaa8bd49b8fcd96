namespace MeshFlow.Dashboard.ApiClient;

/// <summary>
/// <c>POST /workflows/validate</c>: a valid workflow's outline, or every problem found. An invalid workflow is a
/// result here, not an error: the editor shows each problem at its place.
/// </summary>
public sealed record WorkflowValidation(
    bool Valid,
    string? Name,
    IReadOnlyList<string> Nodes,
    IReadOnlyList<WorkflowProblem> Problems);
