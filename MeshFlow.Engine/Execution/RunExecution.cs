using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MeshFlow.Conditions;
using MeshFlow.Approvals;
using MeshFlow.Events;
using MeshFlow.Governance;
using MeshFlow.Observability;
using MeshFlow.Runs;
using MeshFlow.Steps;
using MeshFlow.Workflows;

namespace MeshFlow.Execution;

/// <summary>
/// One run of a workflow: a single-threaded scheduler that launches ready nodes, applies each finished step to
/// the graph state (edges, skips, loops) and ends the run. Steps run concurrently; only the scheduler mutates
/// graph state, so it needs no locks.
/// </summary>
internal sealed class RunExecution : IConditionScope
{
    private enum NodeStatus : byte { Pending, Ready, Running, Done, Skipped }

    private enum EdgeStatus : byte { Unresolved, Taken, Dead }

    private readonly RunScope _run;
    private readonly StepRunner _steps;
    private readonly RunLedgerSession _ledger;
    private readonly WorkflowGraph _graph;
    private readonly CancellationTokenSource _cancellation;
    private readonly Channel<StepCompletion> _completions =
        Channel.CreateUnbounded<StepCompletion>(new UnboundedChannelOptions { SingleReader = true });

    private readonly NodeStatus[] _status;
    private readonly EdgeStatus[] _edges;
    private readonly int[] _runs;
    private readonly string?[] _outputs;
    private readonly bool[] _loopActivated;
    private readonly NodeInput?[] _feedback;
    private readonly int[] _passes;
    private readonly Queue<int> _ready = new();

    private int _running;
    private int _restartEdge = -1;
    private NodeInput? _restartFeedback;
    private RunStatus? _terminal;
    private RunError? _error;

    // The scope a condition sees: set just before each evaluation, on the scheduler's thread only.
    private string _scopeOutput = string.Empty;
    private int _scopeIteration;

    public RunExecution(MeshFlowEngine engine, Workflow workflow, string input, string runId, Policy policy,
        RunEventStream events, CancellationTokenSource cancellation, RunOptions options)
    {
        _run = new RunScope(engine, workflow, options.TenantId, runId, input, policy, events, options.DeliverEventsInline, options.Replay);
        _steps = new StepRunner(_run);
        _ledger = new RunLedgerSession(_run, options.Resume, options.ResumeFrom);
        _graph = workflow.Graph;
        _cancellation = cancellation;
        var nodes = _graph.Nodes.Length;
        _status = new NodeStatus[nodes];
        _runs = new int[nodes];
        _outputs = new string?[nodes];
        _loopActivated = new bool[nodes];
        _feedback = new NodeInput?[nodes];
        _edges = new EdgeStatus[_graph.Edges.Length];
        _passes = new int[_graph.Edges.Length];
        Array.Fill(_passes, 1);
    }

    string IConditionScope.Output => _scopeOutput;

    int IConditionScope.Iteration => _scopeIteration;

    bool IConditionScope.TryGetOutput(string nodeId, out string output)
    {
        output = _graph.IndexOf.TryGetValue(nodeId, out var index) ? _outputs[index] ?? string.Empty : string.Empty;
        return _graph.IndexOf.ContainsKey(nodeId) && _outputs[index] is not null;
    }

    bool IConditionScope.TryGetState(string key, out JsonElement value) => _run.State.TryGetElement(key, out value);

    /// <summary>
    /// How long the run has executed: its recorded steps' time and this execution's, as its wall-time budget counts it
    /// (the time it waited in the queue or for a human is not included).
    /// </summary>
    public TimeSpan Executed => _run.Engine.TimeProvider.GetUtcNow() - _run.StartedAt;

    public async Task<RunResult> ExecuteAsync()
    {
        // Start() returns before any work happens; the run proceeds on the thread pool.
        await Task.Yield();
        var startedAt = _run.Engine.TimeProvider.GetUtcNow();
        using var activity = MeshFlowTelemetry.ActivitySource.StartActivity(ActivityNames.Run);
        activity?.SetTag(TagNames.RunId, _run.RunId);
        activity?.SetTag(TagNames.Workflow, _run.Workflow.Name);
        MeshFlowTelemetry.RunsStarted.Add(1);
        var events = _run.Events;
        events.Publish(new RunStartEvent { RunId = _run.RunId, Workflow = _run.Workflow.Name, Input = _run.Input, Policy = _run.Policy.Mode });

        try
        {
            if (await _ledger.OpenAsync().ConfigureAwait(false) is { } openError)
            {
                End(RunStatus.Failed, openError);
            }

            foreach (var entry in _graph.Entries)
            {
                Settle(entry);
            }

            while (true)
            {
                if (_terminal is null && _cancellation.IsCancellationRequested)
                {
                    // Steps that ignore their token still end; nothing new starts after a cancel.
                    End(RunStatus.Cancelled, new RunError(RunErrorCodes.Cancelled, "the run was cancelled"));
                }

                while (_terminal is null && _ready.TryDequeue(out var node))
                {
                    Launch(node);
                }

                if (_running == 0)
                {
                    break;
                }

                var completion = await _completions.Reader.ReadAsync().ConfigureAwait(false);
                _running--;
                Apply(completion);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A fault in the scheduler itself: end the run honestly rather than leave it hanging.
            Fail(new RunError(RunErrorCodes.NodeFailed, $"the run failed: {ex.Message}"));
            await DrainAsync().ConfigureAwait(false);
        }

        if (_terminal is null && _cancellation.IsCancellationRequested)
        {
            _terminal = RunStatus.Cancelled;
            _error = new RunError(RunErrorCodes.Cancelled, "the run was cancelled");
        }

        var status = _terminal ?? RunStatus.Completed;
        var result = BuildResult(status, startedAt);
        var (closeError, headUnsigned, pause) = await _ledger.CloseAsync(result).ConfigureAwait(false);
        _run.Chain?.Dispose();
        if (closeError is not null)
        {
            _terminal = RunStatus.Failed;
            _error = closeError;
        }

        status = _terminal ?? status;
        result = result with { Status = status, Error = _error, HeadUnsigned = headUnsigned };
        if (_error is not null && status != RunStatus.Paused)
        {
            events.Publish(new ErrorEvent { RunId = _run.RunId, NodeId = _error.NodeId, Code = _error.Code, Message = _error.Message });
        }

        if (status == RunStatus.Paused && _run.Pause is { } request)
        {
            AnnouncePause(events, request, pause);
        }

        events.Publish(new RunEndEvent
        {
            RunId = _run.RunId, Status = status, Output = result.Output, Tokens = result.Tokens, CostUsd = result.CostUsd, Error = _error,
        });
        events.Complete();
        activity?.SetTag(TagNames.Status, status.ToString());
        if (status != RunStatus.Completed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, _run.Sinks.CleanOrNull(_error?.Message));
        }

        return result;
    }

    // Announced once the pause is committed, with its deadline and links; a run without a ledger waits for nobody, so
    // its pause has no deadline.
    private void AnnouncePause(RunEventStream events, PauseRequest request, ApprovalPause? pause)
    {
        var described = pause ?? PauseRecorder.Describe(_run, request, _run.Engine.TimeProvider.GetUtcNow(), 0);
        var step = request.Step;
        events.Publish(new HitlPauseEvent
        {
            RunId = _run.RunId, NodeId = step.NodeId, StepId = step.StepId, AgentId = step.AgentId, Reason = described.Reason,
            BlockReason = request.Verdict.Reason, Tier = request.Verdict.Reason == BlockReason.Dasc ? step.Risk?.Tier : null,
            Context = described.Context, ExpiresAt = pause?.ExpiresAt,
            ApproveUrl = ApprovalLinks.Approve(_run.Engine.PublicUrl, _run.RunId, described.PauseSeq),
            RejectUrl = ApprovalLinks.Reject(_run.Engine.PublicUrl, _run.RunId, described.PauseSeq),
        });
    }

    private void Launch(int node)
    {
        _status[node] = NodeStatus.Running;
        _running++;
        var iteration = ++_runs[node];
        var work = new StepWork(node, iteration, CollectInputs(node), _feedback[node], _outputs[node]);
        if (_running == 1 && _ready.Count == 0)
        {
            // The only thing to do: run it here and save a thread hop (a chain runs entirely inline).
            _ = RunStepAsync(work);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Execution.RunStepAsync(state.Work),
                (Execution: this, Work: work), preferLocal: false);
        }
    }

    private async Task RunStepAsync(StepWork work)
    {
        StepCompletion completion;
        try
        {
            completion = await _steps.RunAsync(work, _cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            completion = StepCompletion.Failed(work.Node, new RunError(RunErrorCodes.NodeFailed,
                $"node '{_graph.Nodes[work.Node].Id}' failed: {ex.Message}", _graph.Nodes[work.Node].Id));
        }

        _completions.Writer.TryWrite(completion);
    }

    private void Apply(StepCompletion completion)
    {
        var node = completion.Node;
        _status[node] = NodeStatus.Done;
        if (completion.Error is { } error)
        {
            End(error.Code == RunErrorCodes.Cancelled ? RunStatus.Cancelled : RunStatus.Failed, error);
            return;
        }

        if (!completion.Verdict.IsCommit)
        {
            var blocked = completion.Verdict.Verdict == Verdict.Blocked;
            var nodeId = _graph.Nodes[node].Id;
            var detail = completion.Verdict.Detail ?? "no detail given";
            End(blocked ? RunStatus.Blocked : RunStatus.Paused, new RunError(
                blocked ? RunErrorCodes.Blocked : RunErrorCodes.Escalated,
                $"step '{nodeId}:{_runs[node]}' {(blocked ? "was blocked" : "was escalated")} " +
                $"({(completion.Verdict.Reason is { } reason ? WireNames.Of(reason) : "check")}): {detail}",
                nodeId));
            return;
        }

        if (_terminal is not null)
        {
            return;
        }

        _outputs[node] = completion.Output;
        _loopActivated[node] = false;
        _feedback[node] = null;

        if (_restartEdge >= 0 && _graph.LoopBodyMask[_restartEdge][node])
        {
            // This pass of the loop body is being replaced; only wait for it to wind down.
            TryApplyRestart();
            return;
        }

        if (!TryFindLoop(node, out var loopEdge))
        {
            return;
        }

        if (loopEdge >= 0)
        {
            var edge = _graph.Edges[loopEdge];
            if (_passes[loopEdge] >= edge.MaxIterations)
            {
                Fail(new RunError(RunErrorCodes.MaxIterationsExceeded,
                    $"loop edge '{edge.Id}' reached its limit of {edge.MaxIterations} iteration(s) and its condition " +
                    $"'{edge.Condition}' still holds", edge.From, edge.Id));
                return;
            }

            _passes[loopEdge]++;
            _restartEdge = loopEdge;
            _restartFeedback = new NodeInput(_graph.Nodes[node].Id, completion.Output);
            TryApplyRestart();
            return;
        }

        foreach (var e in _graph.OutForward[node])
        {
            if (!TryCondition(node, e, out var taken))
            {
                return;
            }

            _edges[e] = taken ? EdgeStatus.Taken : EdgeStatus.Dead;
        }

        foreach (var e in _graph.OutForward[node])
        {
            Settle(_graph.EdgeTo[e]);
        }
    }

    // Finds the first loop edge whose condition holds (or -1); false when a condition could not be evaluated.
    private bool TryFindLoop(int node, out int loopEdge)
    {
        loopEdge = -1;
        foreach (var e in _graph.OutLoop[node])
        {
            if (!TryCondition(node, e, out var holds))
            {
                return false;
            }

            if (holds)
            {
                loopEdge = e;
                break;
            }
        }

        return true;
    }

    private bool TryCondition(int node, int edge, out bool holds)
    {
        var condition = _graph.Edges[edge].Condition;
        if (condition is null)
        {
            holds = true;
            return true;
        }

        _scopeOutput = _outputs[node] ?? string.Empty;
        _scopeIteration = _graph.Edges[edge].IsLoop ? _passes[edge] : _runs[node];
        try
        {
            holds = condition.Evaluate(this);
            return true;
        }
        catch (Exception ex) when (ex is ConditionEvaluationException or InvalidOperationException or FormatException)
        {
            var e = _graph.Edges[edge];
            Fail(new RunError(RunErrorCodes.ConditionFailed,
                $"the condition '{condition}' of edge '{e.Id}' could not be evaluated: {ex.Message}", e.From, e.Id));
            holds = false;
            return false;
        }
    }

    // Decides a pending node once all its incoming forward edges are resolved: run it if one was taken (or a
    // loop sent the run back to it, or nothing leads to it), otherwise skip it and what only it leads to.
    private void Settle(int node)
    {
        if (_status[node] != NodeStatus.Pending || (_restartEdge >= 0 && _graph.LoopBodyMask[_restartEdge][node]))
        {
            return;
        }

        var incoming = _graph.InForward[node];
        var taken = incoming.Length == 0 || _loopActivated[node];
        foreach (var e in incoming)
        {
            switch (_edges[e])
            {
                case EdgeStatus.Unresolved:
                    return;
                case EdgeStatus.Taken:
                    taken = true;
                    break;
            }
        }

        if (taken)
        {
            _status[node] = NodeStatus.Ready;
            _ready.Enqueue(node);
            return;
        }

        _status[node] = NodeStatus.Skipped;
        foreach (var e in _graph.OutForward[node])
        {
            _edges[e] = EdgeStatus.Dead;
        }

        foreach (var e in _graph.OutForward[node])
        {
            Settle(_graph.EdgeTo[e]);
        }
    }

    private void TryApplyRestart()
    {
        var edge = _restartEdge;
        var body = _graph.LoopBody[edge];
        foreach (var node in body)
        {
            if (_status[node] == NodeStatus.Running)
            {
                return;
            }
        }

        var mask = _graph.LoopBodyMask[edge];
        foreach (var node in body)
        {
            _status[node] = NodeStatus.Pending;
            foreach (var e in _graph.InForward[node])
            {
                if (mask[_graph.EdgeFrom[e]])
                {
                    _edges[e] = EdgeStatus.Unresolved;
                }
            }
        }

        // Loops nested inside the body start counting afresh on each pass of the enclosing loop.
        foreach (var inner in _graph.LoopEdges)
        {
            if (inner != edge && mask[_graph.EdgeFrom[inner]] && mask[_graph.EdgeTo[inner]])
            {
                _passes[inner] = 1;
            }
        }

        var target = _graph.EdgeTo[edge];
        _loopActivated[target] = true;
        _feedback[target] = _restartFeedback;
        _restartEdge = -1;
        _restartFeedback = null;
        Settle(target);
    }

    private List<NodeInput> CollectInputs(int node)
    {
        var incoming = _graph.InForward[node];
        var inputs = new List<NodeInput>(incoming.Length);
        foreach (var e in incoming)
        {
            if (_edges[e] == EdgeStatus.Taken)
            {
                var from = _graph.EdgeFrom[e];
                inputs.Add(new NodeInput(_graph.Nodes[from].Id, _outputs[from] ?? string.Empty));
            }
        }

        return inputs;
    }

    private void Fail(RunError error) => End(RunStatus.Failed, error);

    private void End(RunStatus status, RunError error)
    {
        if (_terminal is not null)
        {
            return;
        }

        _terminal = status;
        _error = error;

        // Stop the other branches; their completions are drained and ignored. A pause only stops new steps: those in
        // flight finish and are recorded, so the resumed run reuses their work instead of doing it again.
        if (status != RunStatus.Paused)
        {
            _cancellation.Cancel();
        }
    }

    private async Task DrainAsync()
    {
        while (_running > 0)
        {
            await _completions.Reader.ReadAsync().ConfigureAwait(false);
            _running--;
        }
    }

    private RunResult BuildResult(RunStatus status, DateTimeOffset startedAt)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _outputs.Length; i++)
        {
            if (_outputs[i] is { } output)
            {
                outputs[_graph.Nodes[i].Id] = output;
            }
        }

        string finalOutput;
        var produced = _graph.Outputs.Where(n => _status[n] == NodeStatus.Done && _outputs[n] is not null).ToArray();
        if (produced.Length == 1)
        {
            finalOutput = _outputs[produced[0]]!;
        }
        else
        {
            var merged = new StringBuilder();
            foreach (var n in produced)
            {
                if (merged.Length > 0)
                {
                    merged.Append("\n\n");
                }

                merged.Append("## ").Append(_graph.Nodes[n].Id).Append('\n').Append(_outputs[n]);
            }

            finalOutput = merged.ToString();
        }

        return new RunResult
        {
            RunId = _run.RunId,
            Workflow = _run.Workflow.Name,
            Status = status,
            Output = finalOutput,
            Outputs = outputs,
            Steps = _run.Steps(),
            Tokens = _run.Budget.Tokens,
            CostUsd = _run.Budget.CostUsd,
            Error = _error,
            State = _run.State,
            StartedAt = startedAt,
            EndedAt = _run.Engine.TimeProvider.GetUtcNow(),
        };
    }
}
