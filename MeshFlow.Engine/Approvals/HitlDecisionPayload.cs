using System.Text.Json.Serialization;

namespace MeshFlow.Approvals;

/// <summary>The payload of a <c>hitl_decision</c> record: who decided what, when, and against which deadline.</summary>
public sealed record HitlDecisionPayload
{
    /// <summary>The sequence number of the <c>hitl_pause</c> record this resolves.</summary>
    [JsonPropertyName("pause_seq")] public required long PauseSeq { get; init; }

    /// <summary>The step that waited.</summary>
    [JsonPropertyName("step_id")] public required string StepId { get; init; }

    /// <summary><c>approved</c> or <c>rejected</c>.</summary>
    [JsonPropertyName("decision")] public required string Decision { get; init; }

    /// <summary>Who decided (<c>system:timeout</c> for an expiry).</summary>
    [JsonPropertyName("reviewer_id")] public required string ReviewerId { get; init; }

    /// <summary>The id of the API key the decision was made with (its hash's prefix, never the key); null for the system's.</summary>
    [JsonPropertyName("key_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyId { get; init; }

    /// <summary>The reviewer's notes, or null.</summary>
    [JsonPropertyName("notes")] public string? Notes { get; init; }

    /// <summary>When.</summary>
    [JsonPropertyName("decided_at")] public required DateTimeOffset DecidedAt { get; init; }

    /// <summary>The deadline in force when it was decided.</summary>
    [JsonPropertyName("expires_at")] public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Whether it was decided by the deadline (a timeout decision is not).</summary>
    [JsonPropertyName("met_deadline")] public required bool MetDeadline { get; init; }
}
