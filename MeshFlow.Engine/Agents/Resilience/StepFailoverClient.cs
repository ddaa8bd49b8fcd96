using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using MeshFlow.Agents.Providers;
using Microsoft.Extensions.AI;

// Microsoft.Extensions.AI marks its failover template experimental (MEAI001); MeshFlow builds on it rather than on a
// failover of its own, with the package version pinned, so a change to it shows up as a build break here.
#pragma warning disable MEAI001

namespace MeshFlow.Agents.Resilience;

/// <summary>
/// One step's models in their failover order, on Microsoft.Extensions.AI's <see cref="FailoverChatClient"/> (which
/// owns invocation and streaming commitment: a failure after the first update is never failed over). A model refused
/// by its circuit breaker, or failing transiently before its first token (after its own retries), hands the call to
/// the next; anything else (a refused key, a bad request) ends it.
/// </summary>
/// <remarks>Made per step: <see cref="Attempts"/> is that step's account of which model answered each call and why others did not.</remarks>
internal sealed class StepFailoverClient : FailoverChatClient
{
    private readonly IReadOnlyList<ResolvedModel> _models;
    private readonly ConditionalWeakTable<RoutingContext, Request> _requests = [];
    private readonly Lock _gate = new();
    private readonly List<ModelAttempt> _attempts = [];

    public StepFailoverClient(IReadOnlyList<ResolvedModel> models)
    {
        _models = models;
        MaximumAttemptsPerRequest = models.Count;
    }

    /// <summary>Every model asked, in order, over all the step's calls.</summary>
    public IReadOnlyList<ModelAttempt> Attempts
    {
        get
        {
            lock (_gate)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>The model that answered the latest call; null until one has.</summary>
    public ResolvedModel? Answered { get; private set; }

    protected override ValueTask<IChatClient> SelectClientAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        var request = _requests.GetOrCreateValue(context);
        return ValueTask.FromResult(_models[request.Next++].Client);
    }

    protected override ValueTask OnRoutingUpdateAsync(RoutingContext context, FailoverChatClientAttempt attempt, bool isTerminal,
        CancellationToken cancellationToken)
    {
        var model = _models.First(m => ReferenceEquals(m.Client, attempt.Client));
        var request = _requests.GetOrCreateValue(context);
        switch (attempt.Exception)
        {
            case null:
                Record(request, model, ModelAttempt.Answered, null);
                return ValueTask.CompletedTask;
            case ProviderCircuitOpenException:
                Record(request, model, ModelAttempt.CircuitOpen, attempt.Exception.Message);
                break;
            case LlmProviderException { IsTransient: true }:
                Record(request, model, ModelAttempt.Failed, attempt.Exception.Message);
                break;
            default:
                // Not the kind of failure another model can answer for (a refused key, a bad request, a check, a bug):
                // it ends the call as it is.
                ExceptionDispatchInfo.Throw(attempt.Exception);
                break;
        }

        return isTerminal && !attempt.OutputCommitted ? throw Exhausted(attempt.Exception, request.Attempts) : ValueTask.CompletedTask;
    }

    private void Record(Request request, ResolvedModel model, string outcome, string? detail)
    {
        var entry = new ModelAttempt(model.ModelId, model.Connection, outcome, detail);
        request.Attempts.Add(entry);
        lock (_gate)
        {
            _attempts.Add(entry);
            if (outcome == ModelAttempt.Answered)
            {
                Answered = model;
            }
        }
    }

    // Every model declined this call: refused by breakers only, the step is blocked as one model's open breaker blocks
    // it; otherwise it fails with a failure that names every model's outcome.
    private static Exception Exhausted(Exception last, List<ModelAttempt> attempts)
    {
        var summary = string.Join("; ", attempts.Select(a => $"{a.Model} ({a.Connection}): {a.Outcome}"));
        return last switch
        {
            ProviderCircuitOpenException open when attempts.All(a => a.Outcome == ModelAttempt.CircuitOpen) =>
                new ProviderCircuitOpenException(open.Connection, open.Model, null, open) { Failover = summary },
            LlmProviderException failed => new LlmProviderException(failed.Connection, failed.Model, failed.Status,
                $"every model of the step's failover list declined ({summary}); the last: {failed.Message}", failed.IsTransient, failed.RetryAfter),
            ProviderCircuitOpenException open => new LlmProviderException(open.Connection, open.Model, null,
                $"every model of the step's failover list declined ({summary})", transient: true),
            _ => last,
        };
    }

    // One call's way down the list (a step's tool loop makes several calls).
    private sealed class Request
    {
        public int Next;

        public List<ModelAttempt> Attempts { get; } = [];
    }
}
