using System.Text.Json;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Runs;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Steps;

/// <summary>A tool node's call: its arguments (the node's input unless they name <c>input</c>), put to the pipeline first.</summary>
internal sealed class ToolStep(RunScope run, StepPipeline pipeline)
{
    public async ValueTask<StepResult> RunAsync(ToolNode node, StepWork work, StepCheckContext check, CancellationToken token)
    {
        var stepId = check.StepId;
        var tool = node.Tool ?? run.Engine.RequireTool(node.ToolName);
        var arguments = new AIFunctionArguments(new Dictionary<string, object?>(node.Arguments, StringComparer.Ordinal));
        if (!arguments.ContainsKey("input"))
        {
            arguments["input"] = NodeContext.Merge(run.Input, work.Inputs);
        }

        var callId = stepId;
        var argumentsJson = JsonSerializer.Serialize<IDictionary<string, object?>>(arguments);
        run.Events.Publish(new ToolCallEvent { RunId = run.RunId, NodeId = node.Id, StepId = stepId, CallId = callId, Name = tool.Name, Arguments = argumentsJson });
        var verdict = await pipeline.BeforeToolCallAsync(check, new ToolCallRequest(callId, tool.Name, arguments, tool), token).ConfigureAwait(false);
        if (!verdict.IsCommit)
        {
            // Refused before it ran: said and recorded as an agent's refused call is.
            var refused = StepText.NotRun(verdict);
            run.Events.Publish(new ToolResultEvent { RunId = run.RunId, NodeId = node.Id, StepId = stepId, CallId = callId, Result = refused });
            return new StepResult(string.Empty, default, [new ToolCallRecord(callId, tool.Name, argumentsJson, refused)], null) { Verdict = verdict };
        }

        await ExtensionThread.EnterAsync().ConfigureAwait(false);
        var request = new ToolCallRequest(callId, tool.Name, arguments, tool);
        // Resumed after its result was approved: the recorded result is used, the tool is not called twice, and the
        // approved result is not put to the checks again.
        var recorded = check.Approval?.TakePriorResult(tool.Name, arguments);
        var result = recorded ?? StepText.Result(await tool.InvokeAsync(arguments, token).ConfigureAwait(false));
        run.Events.Publish(new ToolResultEvent { RunId = run.RunId, NodeId = node.Id, StepId = stepId, CallId = callId, Result = result });

        // The result goes to the nodes after this one only if the checks let it: refused, it is kept in the record
        // (for the reviewer) and the node's output is empty.
        verdict = recorded is null ? await pipeline.AfterToolCallAsync(check, request, result, token).ConfigureAwait(false) : StepVerdict.Commit;
        var call = new ToolCallRecord(callId, tool.Name, argumentsJson, result);
        if (!verdict.IsCommit)
        {
            return new StepResult(string.Empty, default, [call], null) { Verdict = verdict };
        }

        var emitted = run.Whole(node.Id, stepId, null, result);
        return emitted with { ToolCalls = [call] };
    }
}
