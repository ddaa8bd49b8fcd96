namespace MeshFlow.Governance;

/// <summary>What a check knows about the step it judges.</summary>
public sealed class StepCheckContext
{
    internal StepCheckContext(string runId, string nodeId, string stepId, int iteration, Policy policy, RunBudget budget)
    {
        RunId = runId;
        NodeId = nodeId;
        StepId = stepId;
        Iteration = iteration;
        Policy = policy;
        Budget = budget;
    }

    /// <summary>The run.</summary>
    public string RunId { get; }

    /// <summary>The node about to run.</summary>
    public string NodeId { get; }

    /// <summary>The step's id (<c>node:iteration</c>).</summary>
    public string StepId { get; }

    /// <summary>How many times the node has run in this run, this step included.</summary>
    public int Iteration { get; }

    /// <summary>The policy in force.</summary>
    public Policy Policy { get; }

    /// <summary>What the run has spent so far.</summary>
    public RunBudget Budget { get; }
}
