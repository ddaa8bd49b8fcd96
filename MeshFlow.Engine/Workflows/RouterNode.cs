namespace MeshFlow.Workflows;

/// <summary>
/// A node that calls nothing: its output is its single input unchanged, or, at a fan-in, its inputs merged in
/// edge declaration order. Conditional edges leaving it route the run.
/// </summary>
public sealed class RouterNode(string id) : WorkflowNode(id)
{
    /// <inheritdoc />
    public override NodeKind Kind => NodeKind.Router;
}
