using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Tools;
using MeshFlow.Tools.BuiltIn;
using Microsoft.Extensions.AI;

namespace MeshFlow.Steps;

/// <summary>
/// An agent's tool calls, made by FunctionInvokingChatClient where the model's stream left off: each is put to the
/// pipeline first, then its arguments are checked against the tool's schema, then it runs. A refused call never runs;
/// the function loop ends there, so the model never sees a result for it. A call whose arguments do not meet the
/// schema never runs either, but the model is told why and may call again.
/// </summary>
/// <remarks>
/// The calls of one model response run concurrently: everything here is safe for that (the step's context, the
/// pipeline's checks and the step's approval are too). When several calls are refused at once, the step ends with
/// the most severe verdict, and of equal ones the model's first call's, whichever check finished first.
/// </remarks>
internal sealed class ToolGate(StepPipeline pipeline, StepCheckContext check, List<AITool> tools)
{
    private readonly Lock _refusal = new();
    private readonly ConcurrentDictionary<string, double> _durations = new(StringComparer.Ordinal);
    private (StepVerdict Verdict, int Index)? _refused;
    private StepCheckException? _failure;

    public bool Has(string name) => tools.Exists(t => t.Name == name);

    /// <summary>Ends the step with a verdict found outside a tool call (a model turn the budgets refused).</summary>
    public void Refuse(StepVerdict verdict) => Refuse(verdict, int.MaxValue);

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
                Refuse(verdict, int.MaxValue);
            }
        }
        catch (StepCheckException ex)
        {
            Fail(ex);
        }
    }

    public StepVerdict? Refused
    {
        get
        {
            lock (_refusal)
            {
                return _refused?.Verdict;
            }
        }
    }

    public StepCheckException? Failure => Volatile.Read(ref _failure);

    /// <summary>How long the call of that id ran, in milliseconds; null when it did not run.</summary>
    public double? DurationOf(string callId) => _durations.TryGetValue(callId, out var milliseconds) ? milliseconds : null;

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
            Fail(ex);
            context.Terminate = true;
            return $"not run: check '{ex.Check}' failed";
        }

        if (!verdict.IsCommit)
        {
            Refuse(verdict, context.FunctionCallIndex);
            context.Terminate = true;
            return StepText.NotRun(verdict);
        }

        // Before the tool binds them: arguments its schema does not allow (or that were not JSON) are the model's to
        // correct, so it is told why instead of the tool failing on them.
        if (ToolArgumentValidator.Problem(context.Function, context.CallContent, context.Arguments) is { } invalid)
        {
            return invalid;
        }

        // Resumed after an approval: a call the escalated attempt already made is answered from its record, not run
        // twice. Its result passed the checks then, or is the one the reviewer approved: it is not put to them again.
        if (check.Approval?.TakePriorResult(request.Name, request.Arguments) is { } recorded)
        {
            return recorded;
        }

        object? result = null;
        Exception? thrown = null;
        var started = check.Time.GetTimestamp();
        try
        {
            await ExtensionThread.EnterAsync().ConfigureAwait(false);
            new ToolInvocation(check.TenantId, check.RunId, check.NodeId, check.StepId).AttachTo(context.Arguments);
            result = await context.Function.InvokeAsync(context.Arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            thrown = ex;
        }

        _durations[request.CallId] = check.Time.GetElapsedTime(started).TotalMilliseconds;

        // What the tool returned is put to the checks before the model sees it; a refused result is withheld and the
        // function loop ends, as for a refused call. A tool that threw is reported by the function loop with the
        // exception's message, which the model sees too: the checks see that message first.
        var text = thrown?.Message ?? StepText.Result(result);
        try
        {
            verdict = await pipeline.AfterToolCallAsync(check, request, text, cancellationToken).ConfigureAwait(false);
        }
        catch (StepCheckException ex)
        {
            Fail(ex);
            context.Terminate = true;
            return $"withheld: check '{ex.Check}' failed";
        }

        if (!verdict.IsCommit)
        {
            Refuse(verdict, context.FunctionCallIndex);
            context.Terminate = true;
            WithheldResults[request.CallId] = text;
            return StepText.Withheld(verdict);
        }

        if (thrown is not null)
        {
            // Thrown again for the function loop to report, and to count towards its limit of consecutive errors.
            ExceptionDispatchInfo.Throw(thrown);
        }

        return result;
    }

    /// <summary>
    /// The results the checks withheld from the model, by call id: the step's record keeps them as the tool returned
    /// them, for the reviewer to judge and for the approved step to be given without calling the tool again.
    /// </summary>
    public ConcurrentDictionary<string, string> WithheldResults { get; } = new(StringComparer.Ordinal);

    private void Fail(StepCheckException failure) => Interlocked.CompareExchange(ref _failure, failure, null);

    // A block outranks an escalation (a reviewer could lift the one but never the other); of equal verdicts, the
    // model's earlier call wins, so concurrent calls finishing in any order end the step the same way.
    private void Refuse(StepVerdict verdict, int index)
    {
        lock (_refusal)
        {
            if (_refused is not { } current || Severity(verdict) > Severity(current.Verdict)
                || (Severity(verdict) == Severity(current.Verdict) && index < current.Index))
            {
                _refused = (verdict, index);
            }
        }
    }

    private static int Severity(StepVerdict verdict) => verdict.Verdict == Verdict.Blocked ? 2 : verdict.Verdict == Verdict.Escalate ? 1 : 0;
}
