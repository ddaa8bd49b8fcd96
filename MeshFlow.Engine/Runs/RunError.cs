using System.Text.Json.Serialization;

namespace MeshFlow.Runs;

/// <summary>Why a run did not complete.</summary>
/// <param name="Code">A stable code: <see cref="RunErrorCodes"/>.</param>
/// <param name="Message">A message naming what failed and why.</param>
/// <param name="NodeId">The node concerned, when there is one.</param>
/// <param name="EdgeId">The edge concerned (such as <c>critic->writer</c>), when there is one.</param>
public sealed record RunError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("node_id")] string? NodeId = null,
    [property: JsonPropertyName("edge_id")] string? EdgeId = null);
