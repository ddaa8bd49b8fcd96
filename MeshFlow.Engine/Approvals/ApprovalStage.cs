namespace MeshFlow.Approvals;

/// <summary>Where in its step a run paused, which decides what approval does.</summary>
public static class ApprovalStage
{
    /// <summary>Before the call: on approval the step runs, its escalations lifted.</summary>
    public const string BeforeStep = "before_step";

    /// <summary>At a tool call the agent asked for: on approval the step runs again, its escalations lifted.</summary>
    public const string ToolCall = "tool_call";

    /// <summary>After the call (its output was escalated): on approval the recorded output is committed as it is.</summary>
    public const string AfterStep = "after_step";

    /// <summary>A <c>kind: human</c> node: on approval it passes its input on.</summary>
    public const string Human = "human";
}
