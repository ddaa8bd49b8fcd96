using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshFlow.Approvals;

/// <summary>The payload of a <c>hitl_pause</c> record: which step waits, why, and until when.</summary>
public sealed record HitlPausePayload
{
    /// <summary>The step that waits.</summary>
    [JsonPropertyName("step_id")] public required string StepId { get; init; }

    /// <summary>Where in the step the run paused (<see cref="ApprovalStage"/>).</summary>
    [JsonPropertyName("stage")] public required string Stage { get; init; }

    /// <summary>Why, in words.</summary>
    [JsonPropertyName("reason")] public required string Reason { get; init; }

    /// <summary>The kind of check that escalated, or null for a human node.</summary>
    [JsonPropertyName("block_reason")] public string? BlockReason { get; init; }

    /// <summary>The risk tier that needs approval, or null.</summary>
    [JsonPropertyName("tier")] public string? Tier { get; init; }

    /// <summary>What the reviewer is shown.</summary>
    [JsonPropertyName("context")] public required JsonElement Context { get; init; }

    /// <summary>When the pause resolves by itself.</summary>
    [JsonPropertyName("expires_at")] public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>What an expiry resolves to.</summary>
    [JsonPropertyName("on_timeout")] public required HitlTimeoutAction OnTimeout { get; init; }
}
