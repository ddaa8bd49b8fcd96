using System.Text.Json;

namespace MeshFlow.Dashboard.ApiClient;

/// <summary>A pause waiting for a reviewer, as <c>GET /hitl/pending</c> lists it.</summary>
public sealed record PendingApproval(
    string RunId,
    string Workflow,
    string NodeId,
    string StepId,
    long PauseSeq,
    string Stage,
    string Reason,
    string? BlockReason,
    string? Tier,
    JsonElement Context,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    bool Escalated,
    string State);
