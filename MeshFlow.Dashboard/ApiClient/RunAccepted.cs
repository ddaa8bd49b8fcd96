namespace MeshFlow.Dashboard.ApiClient;

/// <summary>The answer to <c>POST /runs</c>: the new run's id and its first status.</summary>
public sealed record RunAccepted(string RunId, string Status);
