using System.Globalization;
using System.Text.Json;
using MeshFlow.Execution;
using MeshFlow.Steps;

namespace MeshFlow.Approvals;

/// <summary>
/// What a reviewer is shown about a paused step: the workflow, the node, its agent, its input, what it produced, the
/// tool call that needs approval (with its result, when a check withheld it) and a human node's instructions. Long texts are cut for the notification; the trace
/// keeps them whole.
/// </summary>
internal static class ApprovalContext
{
    public const int MaxTextChars = 4_000;

    public static JsonElement Build(string workflow, StepRecord step, string stage, string? instructions)
    {
        var context = new Dictionary<string, object?>
        {
            ["workflow"] = workflow,
            ["node_id"] = step.NodeId,
            ["step_id"] = step.StepId,
            ["agent_id"] = step.AgentId,
            ["agent_did"] = step.AgentDid,
            ["stage"] = stage,
            ["input"] = Cut(step.InputTask),
            ["output"] = stage == ApprovalStage.BeforeStep ? null : Cut(step.Output),
            ["instructions"] = instructions,
        };
        if (stage == ApprovalStage.ToolCall && step.ToolCalls.Count > 0)
        {
            // The escalated call: of calls refused together (the calls of one response run at once), the first, as
            // StepApproval lifts it; else the last call, whose result a check withheld.
            var call = step.ToolCalls.FirstOrDefault(c => c.Result?.StartsWith(StepText.NotRunPrefix, StringComparison.Ordinal) == true) ?? step.ToolCalls[^1];
            var shown = new Dictionary<string, string> { ["name"] = call.Name, ["arguments"] = Cut(call.Arguments) };
            // A call that ran and whose result a check withheld: the result is what the reviewer judges.
            if (call.Result is { } result && !result.StartsWith(StepText.NotRunPrefix, StringComparison.Ordinal))
            {
                shown["result"] = Cut(result);
            }

            context["tool_call"] = shown;
        }

        return JsonSerializer.SerializeToElement(context);
    }

    private static string Cut(string text) =>
        text.Length <= MaxTextChars
            ? text
            : string.Concat(text.AsSpan(0, MaxTextChars),
                string.Create(CultureInfo.InvariantCulture, $"… ({text.Length - MaxTextChars} more characters in the run's trace)"));
}
