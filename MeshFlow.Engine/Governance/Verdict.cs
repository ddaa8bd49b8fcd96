using System.Text.Json.Serialization;

namespace MeshFlow.Governance;

/// <summary>What the step pipeline decided about a step.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    /// <summary>The step stands; the run goes on.</summary>
    [JsonStringEnumMemberName("commit")] Commit,

    /// <summary>The step is refused; the run ends blocked.</summary>
    [JsonStringEnumMemberName("blocked")] Blocked,

    /// <summary>The step needs a human; the run pauses.</summary>
    [JsonStringEnumMemberName("escalate")] Escalate,
}
