using System.Text.Json;
using System.Text.Json.Serialization;
using MeshFlow.Approvals;

namespace MeshFlow.Api.Approvals;

/// <summary>A pause as <c>GET /hitl/pending</c> and the decision routes show it.</summary>
public sealed record PauseView(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("workflow")] string Workflow,
    [property: JsonPropertyName("node_id")] string NodeId,
    [property: JsonPropertyName("step_id")] string StepId,
    [property: JsonPropertyName("pause_seq")] long PauseSeq,
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("block_reason")] string? BlockReason,
    [property: JsonPropertyName("tier")] string? Tier,
    [property: JsonPropertyName("context")] JsonElement Context,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("age_seconds")] long AgeSeconds,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("on_timeout")] HitlTimeoutAction OnTimeout,
    [property: JsonPropertyName("escalated")] bool Escalated,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("reviewer_id")] string? ReviewerId,
    [property: JsonPropertyName("notes")] string? Notes,
    [property: JsonPropertyName("decided_at")] DateTimeOffset? DecidedAt,
    [property: JsonPropertyName("approve_url")] string ApproveUrl,
    [property: JsonPropertyName("reject_url")] string RejectUrl)
{
    /// <summary>The view of a stored pause at <paramref name="now"/>.</summary>
    public static PauseView Of(ApprovalPause pause, DateTimeOffset now, string? publicUrl)
    {
        ArgumentNullException.ThrowIfNull(pause);
        using var context = JsonDocument.Parse(pause.Context);
        return new PauseView(pause.RunId, pause.Workflow, pause.NodeId, pause.StepId, pause.PauseSeq, pause.Stage, pause.Reason, pause.BlockReason, pause.Tier,
            context.RootElement.Clone(), pause.CreatedAt, (long)Math.Max(0, (now - pause.CreatedAt).TotalSeconds), pause.ExpiresAt, pause.OnTimeout,
            pause.Escalated, pause.State, pause.ReviewerId, pause.Notes, pause.DecidedAt, ApprovalLinks.Approve(publicUrl, pause.RunId, pause.PauseSeq),
            ApprovalLinks.Reject(publicUrl, pause.RunId, pause.PauseSeq));
    }
}

/// <summary>The answer of <c>GET /hitl/pending</c>.</summary>
public sealed record PendingList([property: JsonPropertyName("pending")] IReadOnlyList<PauseView> Pending);

/// <summary>The answer of a decision that resolved its pause.</summary>
public sealed record DecisionView(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("decision")] string Decision,
    [property: JsonPropertyName("reviewer_id")] string ReviewerId,
    [property: JsonPropertyName("decided_at")] DateTimeOffset DecidedAt,
    [property: JsonPropertyName("met_deadline")] bool MetDeadline,
    [property: JsonPropertyName("pause")] PauseView Pause);

/// <summary>One outbox message and its attempts, as <c>GET /hitl/{run_id}/deliveries</c> shows it.</summary>
public sealed record DeliveryView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("next_attempt_at")] DateTimeOffset? NextAttemptAt,
    [property: JsonPropertyName("deadline")] DateTimeOffset Deadline,
    [property: JsonPropertyName("attempts")] IReadOnlyList<AttemptView> Attempts);

/// <summary>One delivery attempt.</summary>
public sealed record AttemptView(
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("status_code")] int? StatusCode,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("duration_ms")] double DurationMs);

/// <summary>The answer of <c>GET /hitl/{run_id}/deliveries</c>.</summary>
public sealed record DeliveryList(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("deliveries")] IReadOnlyList<DeliveryView> Deliveries);
