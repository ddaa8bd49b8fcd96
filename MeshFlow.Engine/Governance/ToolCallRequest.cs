using Microsoft.Extensions.AI;

namespace MeshFlow.Governance;

/// <summary>A tool call about to run, as the checks see it.</summary>
public sealed class ToolCallRequest
{
    internal ToolCallRequest(string callId, string name, IReadOnlyDictionary<string, object?> arguments, AITool? tool)
    {
        CallId = callId;
        Name = name;
        Arguments = arguments;
        Tool = tool;
    }

    /// <summary>The call's id (the model's, or the step id for a tool node).</summary>
    public string CallId { get; }

    /// <summary>The tool's name.</summary>
    public string Name { get; }

    /// <summary>The arguments the tool would be called with.</summary>
    public IReadOnlyDictionary<string, object?> Arguments { get; }

    /// <summary>The tool, when it is registered; null for a name nothing answers to.</summary>
    public AITool? Tool { get; }
}
