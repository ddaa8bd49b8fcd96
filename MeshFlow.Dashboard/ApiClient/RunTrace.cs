namespace MeshFlow.Dashboard.ApiClient;

/// <summary>The answer of <c>GET /traces/{id}</c>: every record of the run's chain, in sequence order.</summary>
public sealed record RunTrace(string RunId, string Status, string Workflow, IReadOnlyList<TraceRecord> Steps);
