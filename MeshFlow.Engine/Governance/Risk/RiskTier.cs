using System.Text.Json.Serialization;

namespace MeshFlow.Governance.Risk;

/// <summary>How much harm an action can do (DASC tiers), from least to most; comparisons follow this order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RiskTier>))]
public enum RiskTier
{
    /// <summary>Reads, or text that stays inside the run.</summary>
    [JsonStringEnumMemberName("low")] Low,

    /// <summary>Changes confined to the run's own workspace, or reads of outside data.</summary>
    [JsonStringEnumMemberName("medium")] Medium,

    /// <summary>Changes outside the workspace, network calls to unlisted hosts, tools that declare no risk.</summary>
    [JsonStringEnumMemberName("high")] High,

    /// <summary>Destructive or irreversible actions; always blocked.</summary>
    [JsonStringEnumMemberName("critical")] Critical,
}
