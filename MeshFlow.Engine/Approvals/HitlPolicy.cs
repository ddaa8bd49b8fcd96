using System.Text.Json.Serialization;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Approvals;

/// <summary>
/// How a run waits for a human: whether escalated steps pause at all, the tier that needs approval, where the approver
/// is notified, how long the run waits and what happens when nobody decides.
/// </summary>
/// <remarks>
/// With <see cref="Enabled"/> off nobody can approve, so a step that would wait for a human is blocked instead (with
/// the reason of the check that escalated it). <see cref="RiskThreshold"/> tightens the policy's top-level
/// <c>risk_threshold</c>: the lower of the two is in force.
/// </remarks>
public sealed record HitlPolicy
{
    /// <summary>The default wait for a decision: 24 hours.</summary>
    public const int DefaultTimeoutSeconds = 86_400;

    /// <summary>Whether escalated steps and <c>kind: human</c> nodes pause the run for a decision.</summary>
    [JsonPropertyName("enabled")] public bool Enabled { get; init; } = true;

    /// <summary>The risk tier at or above which a step waits for a human; null leaves it to the policy's <c>risk_threshold</c>.</summary>
    [JsonPropertyName("risk_threshold")] public RiskTier? RiskThreshold { get; init; }

    /// <summary>Where pauses and decisions are announced (a Standard Webhooks-signed POST); null for no notification.</summary>
    [JsonPropertyName("webhook_url")] public string? WebhookUrl { get; init; }

    /// <summary>How long a pause waits for a decision before <see cref="OnTimeout"/> applies.</summary>
    [JsonPropertyName("timeout_seconds")] public int TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    /// <summary>What an expired pause resolves to.</summary>
    [JsonPropertyName("on_timeout")] public HitlTimeoutAction OnTimeout { get; init; } = HitlTimeoutAction.Reject;

    /// <summary>Where an expired pause is escalated (<see cref="HitlTimeoutAction.Escalate"/>): another webhook URL.</summary>
    [JsonPropertyName("escalate_to")] public string? EscalateTo { get; init; }

    /// <summary>The defaults: enabled, no notification, 24 hours, then reject.</summary>
    public static HitlPolicy Default { get; } = new();
}
