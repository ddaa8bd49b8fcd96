using System.Text.Json;

namespace MeshFlow.Approvals;

/// <summary>The outbox messages a pause, its decision and its escalation send (<c>hitl.pause</c>, <c>hitl.resolved</c>, <c>hitl.escalated</c>).</summary>
internal static class ApprovalNotifications
{
    public const string PauseType = "hitl.pause";
    public const string ResolvedType = "hitl.resolved";
    public const string EscalatedType = "hitl.escalated";

    // A decision's notification is still worth sending for a day; a pause's only until its deadline.
    private static readonly TimeSpan ResolvedLifetime = TimeSpan.FromHours(24);

    public static IReadOnlyList<WebhookMessage> Pause(ApprovalPause pause, string? publicUrl) =>
        pause.WebhookUrl is { } url ? [Message(pause, PauseType, url, PauseBody(pause, PauseType, publicUrl), pause.CreatedAt, pause.ExpiresAt)] : [];

    public static IReadOnlyList<WebhookMessage> Escalated(ApprovalPause pause, DateTimeOffset now, DateTimeOffset newExpiresAt, string? publicUrl)
    {
        var escalated = pause with { ExpiresAt = newExpiresAt };
        var body = PauseBody(escalated, EscalatedType, publicUrl);
        body["expired_at"] = pause.ExpiresAt;
        return pause.EscalateTo is { } url ? [Message(pause, EscalatedType, url, body, now, newExpiresAt)] : [];
    }

    public static IReadOnlyList<WebhookMessage> Resolved(ApprovalPause pause, ApprovalResolution resolution) =>
        pause.WebhookUrl is { } url
            ? [Message(pause, ResolvedType, url, new Dictionary<string, object?>
            {
                ["type"] = ResolvedType, ["run_id"] = pause.RunId, ["node_id"] = pause.NodeId, ["step_id"] = pause.StepId, ["pause_seq"] = pause.PauseSeq,
                ["decision"] = resolution.State, ["reviewer_id"] = resolution.ReviewerId, ["notes"] = resolution.Notes,
                ["decided_at"] = resolution.DecidedAt, ["expires_at"] = pause.ExpiresAt,
            }, resolution.DecidedAt, resolution.DecidedAt + ResolvedLifetime)]
            : [];

    private static Dictionary<string, object?> PauseBody(ApprovalPause pause, string type, string? publicUrl) => new()
    {
        ["type"] = type, ["run_id"] = pause.RunId, ["node_id"] = pause.NodeId, ["step_id"] = pause.StepId, ["reason"] = pause.Reason,
        ["block_reason"] = pause.BlockReason, ["tier"] = pause.Tier, ["context"] = JsonSerializer.Deserialize<JsonElement>(pause.Context),
        ["pause_seq"] = pause.PauseSeq,
        ["approve_url"] = ApprovalLinks.Approve(publicUrl, pause.RunId, pause.PauseSeq),
        ["reject_url"] = ApprovalLinks.Reject(publicUrl, pause.RunId, pause.PauseSeq),
        ["expires_at"] = pause.ExpiresAt,
    };

    private static WebhookMessage Message(ApprovalPause pause, string type, string url, Dictionary<string, object?> body, DateTimeOffset now,
        DateTimeOffset deadline) => new()
    {
        Id = "msg_" + Guid.CreateVersion7().ToString("N"), TenantId = pause.TenantId, RunId = pause.RunId, Type = type, Url = url,
        Body = JsonSerializer.Serialize(body), CreatedAt = now, NextAttemptAt = now, Deadline = deadline,
    };
}
