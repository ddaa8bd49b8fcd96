namespace MeshFlow.Cli.Traces;

/// <summary>A run's trace as <c>GET /traces/{run_id}</c> answers it: the fields the CLI shows.</summary>
internal sealed record TraceDocument(string RunId, string Status, string? Workflow, IReadOnlyList<TraceRecord> Steps);
