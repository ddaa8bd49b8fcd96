using MeshFlow.Governance;

namespace MeshFlow.Execution;

/// <summary>Per-run choices.</summary>
public sealed record RunOptions
{
    /// <summary>The run's id; a new one when null.</summary>
    public string? RunId { get; init; }

    /// <summary>The policy; the workflow's when null.</summary>
    public Policy? Policy { get; init; }

    /// <summary>
    /// False to produce no events (a caller that only awaits the result). When true, events buffer until read:
    /// read <see cref="WorkflowRun.Events"/> to the end.
    /// </summary>
    public bool CaptureEvents { get; init; } = true;
}
