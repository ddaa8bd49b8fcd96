using System.Text.Json.Serialization;

namespace MeshFlow.Api.Approvals;

/// <summary>The body of <c>POST /hitl/{run_id}/approve</c> and <c>/reject</c>.</summary>
/// <param name="ReviewerId">Who decides, as your organisation names them (1 to 200 characters); recorded in the ledger.</param>
/// <param name="Notes">Why, for the audit trail (at most 10 KB of UTF-8); optional.</param>
public sealed record DecisionRequest(
    [property: JsonPropertyName("reviewer_id")] string ReviewerId,
    [property: JsonPropertyName("notes")] string? Notes);
