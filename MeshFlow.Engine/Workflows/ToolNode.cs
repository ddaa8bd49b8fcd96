using Microsoft.Extensions.AI;

namespace MeshFlow.Workflows;

/// <summary>A node that calls one tool, by instance or by its registered name.</summary>
public sealed class ToolNode : WorkflowNode
{
    /// <summary>Creates a node that calls <paramref name="tool"/>.</summary>
    public ToolNode(string id, AIFunction tool)
        : base(id)
    {
        ArgumentNullException.ThrowIfNull(tool);
        Tool = tool;
        ToolName = tool.Name;
    }

    /// <summary>Creates a node that calls the tool registered under <paramref name="toolName"/>.</summary>
    public ToolNode(string id, string toolName)
        : base(id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        ToolName = toolName;
    }

    /// <inheritdoc />
    public override NodeKind Kind => NodeKind.Tool;

    /// <summary>The tool to call, or null to look <see cref="ToolName"/> up in the engine's tools.</summary>
    public AIFunction? Tool { get; }

    /// <summary>The tool's name.</summary>
    public string ToolName { get; }

    /// <summary>
    /// Fixed arguments. Unless they name it, the argument <c>input</c> receives the node's input text; in a string
    /// argument, <c>{{input}}</c> stands for it (<c>content: "{{input}}"</c>).
    /// </summary>
    public IReadOnlyDictionary<string, object?> Arguments { get; init; } = new Dictionary<string, object?>();
}
