using System.Text.Json.Serialization;

namespace MeshFlow.Governance;

/// <summary>Which kind of check blocked or escalated a step.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BlockReason>))]
public enum BlockReason
{
    /// <summary>A guardian check saw injection, exfiltration or anomalous behaviour.</summary>
    [JsonStringEnumMemberName("guardian")] Guardian,

    /// <summary>The risk tier of the action: critical (blocked), or at the policy's threshold (escalated).</summary>
    [JsonStringEnumMemberName("dasc")] Dasc,

    /// <summary>A budget (steps, tokens, cost, time) is spent.</summary>
    [JsonStringEnumMemberName("budget")] Budget,

    /// <summary>The agent's identity or capability does not allow the action.</summary>
    [JsonStringEnumMemberName("identity")] Identity,

    /// <summary>A circuit breaker is open.</summary>
    [JsonStringEnumMemberName("circuit_breaker")] CircuitBreaker,

    /// <summary>The agent's output is too uncertain to stand without a human.</summary>
    [JsonStringEnumMemberName("uncertainty")] Uncertainty,

    /// <summary>A reviewer (or the approval deadline) rejected the step.</summary>
    [JsonStringEnumMemberName("hitl_rejected")] HitlRejected,
}
