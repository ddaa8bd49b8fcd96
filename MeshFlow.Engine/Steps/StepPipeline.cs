using MeshFlow.Execution;
using MeshFlow.Governance;

namespace MeshFlow.Steps;

/// <summary>
/// The step pipeline: the engine's checks in order, asked before a step's call, before each of its tool calls and
/// after the call. The first verdict that is not commit wins; a check that throws stops the step
/// (<see cref="StepCheckException"/>), never lets it through.
/// </summary>
internal sealed class StepPipeline(IReadOnlyList<IStepCheck> checks)
{
    public IReadOnlyList<IStepCheck> Checks { get; } = checks;

    public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken) =>
        AskAsync(context, static (check, context, token) => check.BeforeStepAsync(context, token), "before the step", cancellationToken);

    public ValueTask<StepVerdict> BeforeToolCallAsync(StepCheckContext context, ToolCallRequest call, CancellationToken cancellationToken) =>
        AskAsync((context, call), static (check, state, token) => check.BeforeToolCallAsync(state.context, state.call, token),
            "before a tool call", cancellationToken);

    public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken) =>
        AskAsync((context, outcome), static (check, state, token) => check.AfterStepAsync(state.context, state.outcome, token),
            "after the step", cancellationToken);

    private async ValueTask<StepVerdict> AskAsync<TState>(TState state, Func<IStepCheck, TState, CancellationToken, ValueTask<StepVerdict>> ask,
        string stage, CancellationToken cancellationToken)
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

            if (!verdict.IsCommit)
            {
                return verdict;
            }
        }

        return StepVerdict.Commit;
    }
}
