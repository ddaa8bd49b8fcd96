using MeshFlow.Execution;
using MeshFlow.Workflows;

namespace MeshFlow.Steps;

/// <summary>A function node's call: the host's .NET code, with the run's typed state.</summary>
internal sealed class FunctionStep(RunScope run)
{
    public async ValueTask<StepResult> RunAsync(FunctionNode node, StepWork work, string stepId, CancellationToken token)
    {
        var context = new NodeContext(run.RunId, node.Id, stepId, work.Iteration, run.Input, work.Inputs, work.Feedback, run.State);
        await ExtensionThread.EnterAsync().ConfigureAwait(false);
        var output = await node.Function(context, token).ConfigureAwait(false) ?? string.Empty;
        return run.Whole(node.Id, stepId, null, output);
    }
}
