using System.Text.Json.Serialization;

namespace MeshFlow.Approvals;

/// <summary>The payload of a <c>hitl_escalated</c> record: nobody decided in time, so the pause went to <c>escalate_to</c>.</summary>
public sealed record HitlEscalatedPayload
{
    /// <summary>The sequence number of the <c>hitl_pause</c> record escalated.</summary>
    [JsonPropertyName("pause_seq")] public required long PauseSeq { get; init; }

    /// <summary>The step that waits.</summary>
    [JsonPropertyName("step_id")] public required string StepId { get; init; }

    /// <summary>Who was notified.</summary>
    [JsonPropertyName("escalate_to")] public required string EscalateTo { get; init; }

    /// <summary>The deadline that passed.</summary>
    [JsonPropertyName("expired_at")] public required DateTimeOffset ExpiredAt { get; init; }

    /// <summary>The new, final deadline.</summary>
    [JsonPropertyName("expires_at")] public required DateTimeOffset ExpiresAt { get; init; }
}
