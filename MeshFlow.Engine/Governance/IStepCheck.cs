namespace MeshFlow.Governance;

/// <summary>A pluggable check of the step pipeline, asked before a step's call, before each tool call, and after the call.</summary>
/// <remarks>
/// <para>Checks run in registration order. The first verdict that is not <see cref="Verdict.Commit"/> wins and
/// later checks are not asked. A step blocked before its call never calls its model; a tool call refused never runs
/// its tool, and the model never sees a result for it; a step blocked after its call keeps its output in the record,
/// but the run ends.</para>
/// <para>A check that throws fails the step, naming the check: a failing check never lets a step through.</para>
/// <para>Checks are shared by concurrent runs and concurrent branches of one run: they must be thread-safe and
/// keep per-run data in <see cref="StepCheckContext.Budget"/> or their own run-keyed state.</para>
/// </remarks>
public interface IStepCheck
{
    /// <summary>The check's name in errors and records (for example <c>budget</c>).</summary>
    string Name => GetType().Name;

    /// <summary>Decides whether the step may call its model or tool.</summary>
    ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken);

    /// <summary>Decides whether one tool call of the step may run (an agent's call, or a tool node's).</summary>
    ValueTask<StepVerdict> BeforeToolCallAsync(StepCheckContext context, ToolCallRequest toolCall, CancellationToken cancellationToken) =>
        ValueTask.FromResult(StepVerdict.Commit);

    /// <summary>
    /// Decides whether what a tool call returned may be used: an agent's model sees it next, and a tool node's result
    /// goes to the nodes after it. A refusal withholds the result and ends the step with the verdict.
    /// </summary>
    ValueTask<StepVerdict> AfterToolCallAsync(StepCheckContext context, ToolCallRequest toolCall, string result, CancellationToken cancellationToken) =>
        ValueTask.FromResult(StepVerdict.Commit);

    /// <summary>Decides whether the step's result stands.</summary>
    ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken);
}
