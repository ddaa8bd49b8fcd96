using System.Diagnostics;

namespace MeshFlow.Observability;

/// <summary>
/// The span of a tool node's call, <c>execute_tool {tool}</c>, with the GenAI conventions' tool tags. An agent's tool
/// calls get the same span from Microsoft.Extensions.AI's function-invoking client, which finds the model's
/// OpenTelemetry client below it. Arguments and results are left out: the tool node's are the workflow's data, and the
/// content setting covers only a model's prompts and completions and the tool calls it makes.
/// </summary>
internal static class ToolTelemetry
{
    public static Activity? StartExecute(string toolName, string callId, string? description)
    {
        var activity = MeshFlowTelemetry.ActivitySource.StartActivity(ActivityNames.ExecuteToolPrefix + " " + toolName, ActivityKind.Internal);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag(GenAiTags.OperationName, GenAiTags.ExecuteToolOperation);
        activity.SetTag(GenAiTags.ToolName, toolName);
        activity.SetTag(GenAiTags.ToolCallId, callId);
        activity.SetTag(GenAiTags.ToolType, "function");
        if (!string.IsNullOrEmpty(description))
        {
            activity.SetTag("gen_ai.tool.description", description);
        }

        return activity;
    }

    /// <summary>Marks the span failed with the exception's type only: its message may quote the tool's input.</summary>
    public static void Failed(Activity? activity, Exception exception)
    {
        activity?.SetTag("error.type", exception.GetType().FullName);
        activity?.SetStatus(ActivityStatusCode.Error);
    }
}
