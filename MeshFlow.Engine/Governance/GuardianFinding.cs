using System.Text.Json.Serialization;

namespace MeshFlow.Governance;

/// <summary>
/// What the guardian found in a step, as its ledger record keeps it: the signal, where it was found and what was done.
/// It names positions and kinds, never the content (a secret or an injected text is not copied into the record).
/// </summary>
/// <param name="Signal">The signal: an injection signal (<c>ignore_instructions</c>), a leak label (<c>openai_key</c>), a behaviour signal (<c>repeated_output</c>).</param>
/// <param name="Source">Where it was found (<see cref="GuardianSources"/>).</param>
/// <param name="Action">What was done: <c>escalate</c>, <c>block</c> or <c>strip</c>.</param>
public sealed record GuardianFinding(
    [property: JsonPropertyName("signal")] string Signal,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("action")] string Action)
{
    /// <summary>The tool whose call or result it was found in.</summary>
    [JsonPropertyName("tool")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Tool { get; init; }

    /// <summary>The tool call's id.</summary>
    [JsonPropertyName("call_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CallId { get; init; }

    /// <summary>Where in the text it starts (characters).</summary>
    [JsonPropertyName("offset")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Offset { get; init; }

    /// <summary>The actions named for people: <c>escalate</c>, <c>block</c>, <c>strip</c>.</summary>
    public const string Escalated = "escalate";

    /// <summary>The step was blocked.</summary>
    public const string Blocked = "block";

    /// <summary>The text was removed and the step went on.</summary>
    public const string Stripped = "strip";
}
