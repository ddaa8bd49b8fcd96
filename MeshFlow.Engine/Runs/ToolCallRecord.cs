using System.Text.Json.Serialization;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Runs;

/// <summary>One tool call a step made, with its result.</summary>
/// <param name="CallId">The call's id.</param>
/// <param name="Name">The tool.</param>
/// <param name="Arguments">The arguments as JSON.</param>
/// <param name="Result">
/// The result as text, or null if none arrived. A call that was not made says why: refused by a check
/// (<c>not run: ...</c>), or arguments its schema does not allow (<c>invalid arguments for tool '...': ...</c>); a tool
/// that threw has the error the model was given (<c>Error: Function failed. Exception: ...</c>).
/// </param>
public sealed record ToolCallRecord(
    [property: JsonPropertyName("call_id")] string CallId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("arguments")] string Arguments,
    [property: JsonPropertyName("result")] string? Result)
{
    /// <summary>How long the tool ran, in milliseconds; absent when it did not run (and in records written before durations were kept).</summary>
    [JsonPropertyName("duration_ms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DurationMs { get; init; }

    /// <summary>The call's own risk tier, as the risk check rated it before it ran; absent when no check rated it.</summary>
    [JsonPropertyName("risk_tier")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RiskTier? RiskTier { get; init; }
}
