using MeshFlow.Governance.Risk;

namespace MeshFlow.Workflows;

/// <summary>A node of a workflow graph.</summary>
public abstract class WorkflowNode
{
    private protected WorkflowNode(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
    }

    /// <summary>The node's id, unique in its workflow.</summary>
    public string Id { get; }

    /// <summary>What the node does.</summary>
    public abstract NodeKind Kind { get; }

    /// <summary>A free-form role (writer, critic, supervisor...), shown in events and records.</summary>
    public string? Role { get; init; }

    /// <summary>
    /// The declared risk of the node's own call (an agent's model call; a tool's calls are rated by the tool's own
    /// risk); low by default.
    /// </summary>
    public RiskTier Risk { get; init; }

    /// <summary>Where the node was declared, when it came from text.</summary>
    public SourceLocation? Location { get; init; }
}
