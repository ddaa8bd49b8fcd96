using System.Text.Json;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Observability;
using MeshFlow.Runs;
using MeshFlow.Tools;
using MeshFlow.Tools.BuiltIn;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Steps;

/// <summary>A tool node's call: its arguments (the node's input unless they name <c>input</c>), put to the pipeline first.</summary>
internal sealed class ToolStep(RunScope run, StepPipeline pipeline)
{
    private const string InputPlaceholder = "{{input}}";

    public async ValueTask<StepResult> RunAsync(ToolNode node, StepWork work, StepCheckContext check, CancellationToken token)
    {
        var stepId = check.StepId;
        var tool = node.Tool ?? run.Engine.RequireTool(node.ToolName);
        var input = NodeContext.Merge(run.Input, work.Inputs);
        var arguments = new AIFunctionArguments(WithInput(node.Arguments, input));
        var addsInput = !arguments.ContainsKey("input");
        if (addsInput)
        {
            arguments["input"] = input;
        }

        new ToolInvocation(run.TenantId, run.RunId, node.Id, stepId).AttachTo(arguments);

        var callId = stepId;
        var argumentsJson = JsonSerializer.Serialize<IDictionary<string, object?>>(arguments);
        run.Events.Publish(new ToolCallEvent { RunId = run.RunId, NodeId = node.Id, StepId = stepId, CallId = callId, Name = tool.Name, Arguments = argumentsJson });
        var request = new ToolCallRequest(callId, tool.Name, arguments, tool);
        var verdict = await pipeline.BeforeToolCallAsync(check, request, token).ConfigureAwait(false);
        var riskTier = check.ToolCallRisk(callId)?.Tier;
        if (!verdict.IsCommit)
        {
            // Refused before it ran: said and recorded as an agent's refused call is.
            var refused = StepText.NotRun(verdict);
            run.Events.Publish(new ToolResultEvent { RunId = run.RunId, NodeId = node.Id, StepId = stepId, CallId = callId, Result = refused, RiskTier = riskTier });
            return new StepResult(string.Empty, default, [new ToolCallRecord(callId, tool.Name, argumentsJson, refused) { RiskTier = riskTier }], null) { Verdict = verdict };
        }

        // The node's arguments are the definition's, not a model's: ones the tool's schema does not allow are the
        // author's mistake, and fail the node with the reason.
        // The input the engine adds is checked only where the schema names it: a tool that takes none ignores it.
        IDictionary<string, object?> checkedArguments = addsInput && !NamesInput(tool) ? WithInput(node.Arguments, input) : arguments;
        if (ToolArgumentValidator.Problem(tool, null, checkedArguments) is { } invalid)
        {
            run.Events.Publish(new ToolResultEvent { RunId = run.RunId, NodeId = node.Id, StepId = stepId, CallId = callId, Result = invalid, RiskTier = riskTier });
            throw new InvalidOperationException(invalid);
        }

        // Resumed after its result was approved: the recorded result is used, the tool is not called twice, and the
        // approved result is not put to the checks again.
        var recorded = check.Approval?.TakePriorResult(tool.Name, arguments);
        double? durationMs = null;
        string result;
        if (recorded is not null)
        {
            result = recorded;
        }
        else
        {
            var started = check.Time.GetTimestamp();
            await ExtensionThread.EnterAsync().ConfigureAwait(false);
            using var activity = ToolTelemetry.StartExecute(tool.Name, callId, tool.Description);
            try
            {
                result = StepText.Result(await tool.InvokeAsync(arguments, token).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                ToolTelemetry.Failed(activity, ex);
                throw;
            }

            durationMs = check.Time.GetElapsedTime(started).TotalMilliseconds;
        }

        run.Events.Publish(new ToolResultEvent
        {
            RunId = run.RunId, NodeId = node.Id, StepId = stepId, CallId = callId, Result = result, DurationMs = durationMs, RiskTier = riskTier,
        });

        // The result goes to the nodes after this one only if the checks let it: refused, it is kept in the record
        // (for the reviewer) and the node's output is empty.
        verdict = recorded is null ? await pipeline.AfterToolCallAsync(check, request, result, token).ConfigureAwait(false) : StepVerdict.Commit;
        var call = new ToolCallRecord(callId, tool.Name, argumentsJson, result) { DurationMs = durationMs, RiskTier = riskTier };
        if (!verdict.IsCommit)
        {
            return new StepResult(string.Empty, default, [call], null) { Verdict = verdict };
        }

        var emitted = run.Whole(node.Id, stepId, null, result);
        return emitted with { ToolCalls = [call] };
    }

    // A string argument may place the node's input where it needs it (`content: "{{input}}"`); the definition's
    // other values pass as they are.
    private static Dictionary<string, object?> WithInput(IReadOnlyDictionary<string, object?> arguments, string input)
    {
        var result = new Dictionary<string, object?>(arguments.Count + 1, StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            result[name] = value is string text && text.Contains(InputPlaceholder, StringComparison.Ordinal)
                ? text.Replace(InputPlaceholder, input, StringComparison.Ordinal)
                : value;
        }

        return result;
    }

    private static bool NamesInput(AIFunction tool) =>
        tool.JsonSchema is { ValueKind: JsonValueKind.Object } schema && schema.TryGetProperty("properties", out var properties)
        && properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("input", out _);
}
