using MeshFlow.Governance;
using MeshFlow.Runs;

namespace MeshFlow.Steps;

/// <summary>What a step reports back to its run's scheduler.</summary>
internal readonly record struct StepCompletion(int Node, string Output, StepVerdict Verdict, RunError? Error)
{
    public static StepCompletion Failed(int node, RunError error) => new(node, string.Empty, StepVerdict.Commit, error);
}
