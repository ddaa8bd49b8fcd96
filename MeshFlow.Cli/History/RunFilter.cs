namespace MeshFlow.Cli.History;

/// <summary>Which runs <c>meshflow runs</c> lists.</summary>
internal sealed record RunFilter(string? Status, string? Workflow, int Limit);
