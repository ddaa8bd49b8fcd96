using System.Text.Json.Serialization;

namespace MeshFlow.Governance.Collusion;

/// <summary>Whether a run is audited for agents colluding (agreeing to get around a check), and what a finding leads to.</summary>
/// <remarks>
/// <c>new CollusionPolicy()</c> is <see cref="Off"/>. In JSON it is written as an object of every part; it is read from
/// an object (a part left out takes its default, and an object without <c>enabled</c> turns the audit on, as a policy's
/// mapping does) or from <c>true</c> or <c>false</c>, as policies stored before the audit had parts wrote it.
/// </remarks>
[JsonConverter(typeof(CollusionPolicyJsonConverter))]
public sealed record CollusionPolicy
{
    /// <summary>Whether the run is audited.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    /// <summary>What a finding leads to.</summary>
    [JsonPropertyName("on_finding")]
    public CollusionAction OnFinding { get; init; } = CollusionAction.Record;

    /// <summary>No audit.</summary>
    public static CollusionPolicy Off { get; } = new();

    /// <summary>The audit with its defaults: findings are recorded.</summary>
    public static CollusionPolicy On { get; } = new() { Enabled = true };
}
