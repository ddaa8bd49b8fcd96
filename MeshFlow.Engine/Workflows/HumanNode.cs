namespace MeshFlow.Workflows;

/// <summary>
/// An explicit approval step: the run waits for a person to approve or reject, and the reviewer is shown
/// <see cref="Instructions"/>. It calls no model and no tool.
/// </summary>
/// <remarks>
/// The node only declares the step; what a run does when it reaches one (pause, notify, resume on a decision) is
/// the step pipeline's, under the policy's <c>hitl</c>.
/// </remarks>
public sealed class HumanNode : WorkflowNode
{
    /// <summary>Creates an approval step that shows the reviewer <paramref name="instructions"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="instructions"/> is null, empty or blank.</exception>
    public HumanNode(string id, string instructions)
        : base(id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instructions);
        Instructions = instructions;
    }

    /// <inheritdoc />
    public override NodeKind Kind => NodeKind.Human;

    /// <summary>What the reviewer is asked to check, shown with the pause.</summary>
    public string Instructions { get; }
}
