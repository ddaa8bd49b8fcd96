using System.Collections.Concurrent;
using MeshFlow.Execution;
using MeshFlow.Governance;
using Microsoft.Extensions.AI;

namespace MeshFlow.Steps;

/// <summary>
/// An agent's tool calls, made by FunctionInvokingChatClient where the model's stream left off: each is put to the
/// pipeline first. A refused call never runs; the function loop ends there, so the model never sees a result for it.
/// </summary>
internal sealed class ToolGate(StepPipeline pipeline, StepCheckContext check, List<AITool> tools)
{
    public bool Has(string name) => tools.Exists(t => t.Name == name);

    /// <summary>Ends the step with a verdict found outside a tool call (a model turn the budgets refused).</summary>
    public void Refuse(StepVerdict verdict) => Refused ??= verdict;

    // The model asked for a tool the agent was never given: nothing runs, and the checks say why.
    public async ValueTask RefuseUnknownAsync(FunctionCallContent call, CancellationToken cancellationToken)
    {
        var arguments = (IReadOnlyDictionary<string, object?>?)call.Arguments?.AsReadOnly() ?? new Dictionary<string, object?>();
        try
        {
            var verdict = await pipeline.BeforeToolCallAsync(check, new ToolCallRequest(call.CallId, call.Name, arguments, null), cancellationToken)
                .ConfigureAwait(false);
            if (!verdict.IsCommit)
            {
                Refused ??= verdict;
            }
        }
        catch (StepCheckException ex)
        {
            Failure ??= ex;
        }
    }

    public StepVerdict? Refused { get; private set; }

    public StepCheckException? Failure { get; private set; }

    public async ValueTask<object?> InvokeAsync(FunctionInvocationContext context, CancellationToken cancellationToken)
    {
        var request = new ToolCallRequest(context.CallContent.CallId, context.Function.Name, context.Arguments, context.Function);
        StepVerdict verdict;
        try
        {
            verdict = await pipeline.BeforeToolCallAsync(check, request, cancellationToken).ConfigureAwait(false);
        }
        catch (StepCheckException ex)
        {
            Failure ??= ex;
            context.Terminate = true;
            return $"not run: check '{ex.Check}' failed";
        }

        if (!verdict.IsCommit)
        {
            Refused ??= verdict;
            context.Terminate = true;
            return StepText.NotRun(verdict);
        }

        // Resumed after an approval: a call the escalated attempt already made is answered from its record, not run
        // twice. Its result passed the checks then, or is the one the reviewer approved: it is not put to them again.
        if (check.Approval?.TakePriorResult(request.Name, request.Arguments) is { } recorded)
        {
            return recorded;
        }

        await ExtensionThread.EnterAsync().ConfigureAwait(false);
        var result = await context.Function.InvokeAsync(context.Arguments, cancellationToken).ConfigureAwait(false);

        // What the tool returned is put to the checks before the model sees it; a refused result is withheld and the
        // function loop ends, as for a refused call.
        try
        {
            verdict = await pipeline.AfterToolCallAsync(check, request, StepText.Result(result), cancellationToken).ConfigureAwait(false);
        }
        catch (StepCheckException ex)
        {
            Failure ??= ex;
            context.Terminate = true;
            return $"withheld: check '{ex.Check}' failed";
        }

        if (!verdict.IsCommit)
        {
            Refused ??= verdict;
            context.Terminate = true;
            WithheldResults[request.CallId] = StepText.Result(result);
            return StepText.Withheld(verdict);
        }

        return result;
    }

    /// <summary>
    /// The results the checks withheld from the model, by call id: the step's record keeps them as the tool returned
    /// them, for the reviewer to judge and for the approved step to be given without calling the tool again.
    /// </summary>
    public ConcurrentDictionary<string, string> WithheldResults { get; } = new(StringComparer.Ordinal);
}
