using System.Text.Json.Serialization;

namespace MeshFlow.Workflows;

/// <summary>What a node does when it runs.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeKind>))]
public enum NodeKind
{
    /// <summary>Calls a chat model with instructions, context and tools (<see cref="AgentNode"/>).</summary>
    [JsonStringEnumMemberName("agent")] Agent,

    /// <summary>Calls one registered tool (<see cref="ToolNode"/>).</summary>
    [JsonStringEnumMemberName("tool")] Tool,

    /// <summary>Passes its input on, merging several inputs (<see cref="RouterNode"/>).</summary>
    [JsonStringEnumMemberName("router")] Router,

    /// <summary>Runs .NET code (<see cref="FunctionNode"/>).</summary>
    [JsonStringEnumMemberName("function")] Function,

    /// <summary>Waits for a person to approve or reject (<see cref="HumanNode"/>).</summary>
    [JsonStringEnumMemberName("human")] Human,

    /// <summary>Retrieves from a knowledge base and puts the chunks in front of its task (<see cref="RagNode"/>).</summary>
    [JsonStringEnumMemberName("rag")] Rag,
}
