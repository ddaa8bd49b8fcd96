namespace MeshFlow.Dashboard.ApiClient;

/// <summary>One problem of an invalid workflow, at its line and column when the API knows them.</summary>
public sealed record WorkflowProblem(string Code, string Message, string? Path, int? Line, int? Column);
