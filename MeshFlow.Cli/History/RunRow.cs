namespace MeshFlow.Cli.History;

/// <summary>
/// A run as <c>meshflow runs</c> lists it: the shape of a row of the API's <c>GET /runs</c>, which carries the run's
/// totals, so listing takes one call. <see cref="DurationMs"/> is null while the run has not ended.
/// </summary>
internal sealed record RunRow(string RunId, string Status, string Workflow, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Steps, long Tokens,
    decimal CostUsd, long? DurationMs);
