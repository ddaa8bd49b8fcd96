using System.Text.Json.Serialization;

namespace MeshFlow.Runs;

/// <summary>One tool call a step made, with its result.</summary>
/// <param name="CallId">The call's id.</param>
/// <param name="Name">The tool.</param>
/// <param name="Arguments">The arguments as JSON.</param>
/// <param name="Result">The result as text, or null if none arrived.</param>
public sealed record ToolCallRecord(
    [property: JsonPropertyName("call_id")] string CallId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("arguments")] string Arguments,
    [property: JsonPropertyName("result")] string? Result);
