namespace MeshFlow.Dashboard.ApiClient;

/// <summary>
/// A run as <c>GET /runs</c> lists it. Steps, tokens, cost and duration are null when the API does not send them
/// (an API older than the list's totals).
/// </summary>
public sealed record RunListItem(
    string RunId,
    string Status,
    string Workflow,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int? Steps = null,
    long? Tokens = null,
    decimal? CostUsd = null,
    double? DurationMs = null);
