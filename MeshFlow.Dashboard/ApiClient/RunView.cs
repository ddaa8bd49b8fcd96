using System.Text.Json;

namespace MeshFlow.Dashboard.ApiClient;

/// <summary>A run as <c>GET /runs/{id}</c> shows it: status, totals, output or error.</summary>
public sealed record RunView(
    string RunId,
    string Status,
    string Workflow,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Steps,
    long Tokens,
    decimal CostUsd,
    string? Output,
    JsonElement? Error);
