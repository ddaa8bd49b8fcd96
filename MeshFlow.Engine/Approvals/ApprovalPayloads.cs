using System.Text;
using System.Text.Json;
using MeshFlow.Ledger.Canonical;

namespace MeshFlow.Approvals;

/// <summary>Writes the approval records' payloads as canonical JSON (RFC 8785) and reads them back.</summary>
public static class ApprovalPayloads
{
    /// <summary>A hitl_pause payload.</summary>
    public static string Pause(HitlPausePayload payload) => Canonical(payload);

    /// <summary>A hitl_decision payload.</summary>
    public static string Decision(HitlDecisionPayload payload) => Canonical(payload);

    /// <summary>A hitl_escalated payload.</summary>
    public static string Escalated(HitlEscalatedPayload payload) => Canonical(payload);

    /// <summary>Reads a hitl_pause payload.</summary>
    /// <exception cref="JsonException">The payload is not one.</exception>
    public static HitlPausePayload ReadPause(string payload) =>
        JsonSerializer.Deserialize<HitlPausePayload>(payload) ?? throw new JsonException("the hitl_pause payload is null");

    /// <summary>Reads a hitl_decision payload.</summary>
    /// <exception cref="JsonException">The payload is not one.</exception>
    public static HitlDecisionPayload ReadDecision(string payload) =>
        JsonSerializer.Deserialize<HitlDecisionPayload>(payload) ?? throw new JsonException("the hitl_decision payload is null");

    private static string Canonical<T>(T value) => Encoding.UTF8.GetString(CanonicalJson.Serialize(value));
}
