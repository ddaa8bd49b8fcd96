using System.Text.Json.Serialization;

namespace MeshFlow.Approvals;

/// <summary>What a pause that nobody decided in time resolves to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HitlTimeoutAction>))]
public enum HitlTimeoutAction
{
    /// <summary>The run ends blocked with reason <c>hitl_rejected</c>.</summary>
    [JsonStringEnumMemberName("reject")] Reject,

    /// <summary>The paused step runs as if a reviewer approved it.</summary>
    [JsonStringEnumMemberName("approve")] Approve,

    /// <summary>The policy's <c>escalate_to</c> is notified and the deadline extended once; a second expiry rejects.</summary>
    [JsonStringEnumMemberName("escalate")] Escalate,
}
