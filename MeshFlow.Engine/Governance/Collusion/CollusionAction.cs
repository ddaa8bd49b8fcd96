using System.Text.Json.Serialization;

namespace MeshFlow.Governance.Collusion;

/// <summary>What a collusion audit does when it finds agents agreeing to get around a check.</summary>
/// <remarks>Ordered from loose to tight: a tenant's ceiling lets a run choose a later value, never an earlier one.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<CollusionAction>))]
public enum CollusionAction
{
    /// <summary>The finding is recorded in the run's ledger, and the run goes on.</summary>
    [JsonStringEnumMemberName("record")] Record,

    /// <summary>The finding is recorded and the run waits for a human, who decides whether it goes on.</summary>
    [JsonStringEnumMemberName("escalate")] Escalate,
}
