namespace MeshFlow.Workflows;

/// <summary>
/// An edge of a workflow graph. A forward edge carries its source's output to its target; a loop edge is a
/// bounded back-edge that runs its target again.
/// </summary>
public sealed record WorkflowEdge
{
    /// <summary>Creates an edge.</summary>
    public WorkflowEdge(string from, string to, EdgeCondition? condition = null, bool isLoop = false, int maxIterations = 10)
    {
        From = from;
        To = to;
        Condition = condition;
        IsLoop = isLoop;
        MaxIterations = maxIterations;
    }

    /// <summary>The source node.</summary>
    public string From { get; }

    /// <summary>The target node.</summary>
    public string To { get; }

    /// <summary>When the edge is taken; null for always.</summary>
    public EdgeCondition? Condition { get; }

    /// <summary>
    /// True for a loop edge: left out of the acyclicity check; after <see cref="From"/> completes, if the
    /// condition holds, <see cref="To"/> and what follows it run again.
    /// </summary>
    public bool IsLoop { get; }

    /// <summary>
    /// For a loop edge, the most passes the loop may make (the first pass included); wanting another pass past
    /// it ends the run with <c>MaxIterationsExceeded</c>.
    /// </summary>
    public int MaxIterations { get; }

    /// <summary>Where the edge was declared, when it came from text.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>The edge's name in messages: <c>from->to</c>.</summary>
    public string Id => $"{From}->{To}";

    /// <inheritdoc />
    public override string ToString() => IsLoop ? $"{Id} (loop, max {MaxIterations})" : Id;
}
