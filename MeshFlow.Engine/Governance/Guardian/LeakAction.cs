using System.Text.Json.Serialization;

namespace MeshFlow.Governance.Guardian;

/// <summary>What the guardian does with an agent's output that carries a secret or points outside the allowed hosts.</summary>
/// <remarks>Ordered from loose to tight: a tenant's ceiling lets a run choose a later value, never an earlier one.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<LeakAction>))]
public enum LeakAction
{
    /// <summary>The secret or link is cut from the output, and the step goes on with the rest.</summary>
    [JsonStringEnumMemberName("strip")] Strip,

    /// <summary>The step is blocked with reason <c>guardian</c>.</summary>
    [JsonStringEnumMemberName("block")] Block,
}
