namespace MeshFlow.Events;

/// <summary>The wire names of the event kinds.</summary>
public static class MeshEventKinds
{
    public const string RunStart = "run_start";
    public const string StepStart = "step_start";
    public const string TokenDelta = "token_delta";
    public const string ToolCall = "tool_call";
    public const string ToolResult = "tool_result";
    public const string StepEnd = "step_end";
    public const string HitlPause = "hitl_pause";
    public const string HitlResolved = "hitl_resolved";
    public const string RunEnd = "run_end";
    public const string Error = "error";
}
