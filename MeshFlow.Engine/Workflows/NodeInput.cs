using System.Text.Json.Serialization;

namespace MeshFlow.Workflows;

/// <summary>The output of a node another node depends on.</summary>
/// <param name="NodeId">The node that produced it.</param>
/// <param name="Output">Its output.</param>
public sealed record NodeInput(
    [property: JsonPropertyName("node_id")] string NodeId,
    [property: JsonPropertyName("output")] string Output);
