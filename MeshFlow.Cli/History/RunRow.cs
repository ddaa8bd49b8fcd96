namespace MeshFlow.Cli.History;

/// <summary>A run as <c>meshflow runs</c> lists it (the shape of the API's <c>GET /runs/{id}</c>).</summary>
internal sealed record RunRow(string RunId, string Status, string Workflow, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Steps, long Tokens,
    decimal CostUsd);
