using System.Text.Json.Serialization;

namespace MeshFlow.Governance.Guardian;

/// <summary>What the guardian does with a step whose input or output carries a prompt injection.</summary>
/// <remarks>Ordered from loose to tight: a tenant's ceiling lets a run choose a later value, never an earlier one.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<GuardianAction>))]
public enum GuardianAction
{
    /// <summary>The step waits for a human, who decides whether it goes on.</summary>
    [JsonStringEnumMemberName("escalate")] Escalate,

    /// <summary>The step is blocked with reason <c>guardian</c>.</summary>
    [JsonStringEnumMemberName("block")] Block,
}
