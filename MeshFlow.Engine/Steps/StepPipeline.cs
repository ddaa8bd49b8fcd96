using MeshFlow.Execution;
using MeshFlow.Governance;

namespace MeshFlow.Steps;

/// <summary>
/// The step pipeline: the engine's checks in order, asked before a step's call, before and after each of its tool
/// calls, and after the call. The first verdict that is not commit wins; a check that throws stops the step
/// (<see cref="StepCheckException"/>), never lets it through. An escalation is settled against the step's approval and
/// the policy's <c>hitl</c> (<see cref="Settle"/>) before it counts.
/// </summary>
internal sealed class StepPipeline(IReadOnlyList<IStepCheck> checks)
{
    public IReadOnlyList<IStepCheck> Checks { get; } = checks;

    public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken) =>
        AskAsync(context, context, static (check, context, token) => check.BeforeStepAsync(context, token), "before the step",
            context.Approval?.LiftsBeforeStep == true, cancellationToken);

    public ValueTask<StepVerdict> BeforeToolCallAsync(StepCheckContext context, ToolCallRequest call, CancellationToken cancellationToken) =>
        AskAsync(context, (context, call), static (check, state, token) => check.BeforeToolCallAsync(state.context, state.call, token),
            "before a tool call", context.Approval?.Lifts(call.Name, call.Arguments) == true, cancellationToken);

    public ValueTask<StepVerdict> AfterToolCallAsync(StepCheckContext context, ToolCallRequest call, string result, CancellationToken cancellationToken) =>
        AskAsync(context, (context, call, result), static (check, state, token) => check.AfterToolCallAsync(state.context, state.call, state.result, token),
            "after a tool call", context.Approval?.Lifts(call.Name, call.Arguments) == true, cancellationToken);

    public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken) =>
        AskAsync(context, (context, outcome), static (check, state, token) => check.AfterStepAsync(state.context, state.outcome, token),
            "after the step", false, cancellationToken);

    /// <summary>
    /// What an escalation comes to for this step: nothing when it is the one a reviewer approved (<paramref name="approved"/>);
    /// a block when the policy turns human approval off (nobody could approve it); otherwise the escalation, which
    /// pauses the run.
    /// </summary>
    public static StepVerdict Settle(StepCheckContext context, StepVerdict verdict, bool approved) =>
        verdict.Verdict != Verdict.Escalate ? verdict
        : approved ? StepVerdict.Commit
        : context.Policy.Hitl.Enabled ? verdict
        : new StepVerdict(Verdict.Blocked, verdict.Reason, $"{verdict.Detail}; human approval is off in this policy (hitl.enabled: false)");

    private async ValueTask<StepVerdict> AskAsync<TState>(StepCheckContext context, TState state, Func<IStepCheck, TState, CancellationToken, ValueTask<StepVerdict>> ask,
        string stage, bool approved, CancellationToken cancellationToken)
    {
        await ExtensionThread.EnterAsync().ConfigureAwait(false);
        foreach (var check in Checks)
        {
            StepVerdict verdict;
            try
            {
                verdict = await ask(check, state, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new StepCheckException(check.Name, stage, ex);
            }

            verdict = Settle(context, verdict, approved);
            if (!verdict.IsCommit)
            {
                return verdict;
            }
        }

        return StepVerdict.Commit;
    }
}
