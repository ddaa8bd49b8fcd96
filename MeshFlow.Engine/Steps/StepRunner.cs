using System.Globalization;
using MeshFlow.Agents;
using MeshFlow.Approvals;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Identity;
using MeshFlow.Observability;
using MeshFlow.Observability.Metrics;
using MeshFlow.Runs;
using MeshFlow.Workflows;

namespace MeshFlow.Steps;

/// <summary>
/// A step's life: reuse what the ledger holds, or put the step to the pipeline's checks, call its node, check the
/// result, record it, and only then say it ended.
/// </summary>
internal sealed class StepRunner
{
    private static readonly string EscalateWire = WireNames.Of(Verdict.Escalate);

    private readonly RunScope _run;
    private readonly StepPipeline _pipeline;
    private readonly StepRecorder _recorder;
    private readonly AgentStep _agents;
    private readonly ToolStep _tools;
    private readonly FunctionStep _functions;
    private readonly StepMemory _memory;
    private readonly RagStep _rag;

    public StepRunner(RunScope run)
    {
        _run = run;
        _pipeline = run.Engine.Pipeline;
        _recorder = new StepRecorder(run);
        _agents = new AgentStep(run, _pipeline);
        _tools = new ToolStep(run, _pipeline);
        _functions = new FunctionStep(run);
        _memory = new StepMemory(run);
        _rag = new RagStep(run);
    }

    public async Task<StepCompletion> RunAsync(StepWork work, CancellationToken runToken)
    {
        var node = _run.Workflow.Graph.Nodes[work.Node];
        var time = _run.Engine.TimeProvider;
        var stepId = string.Concat(node.Id, ":", work.Iteration.ToString(CultureInfo.InvariantCulture));
        var agentId = (node as AgentNode)?.AgentId;
        using var activity = MeshFlowTelemetry.ActivitySource.StartActivity(ActivityNames.Step);
        activity?.SetTag(TagNames.RunId, _run.RunId);
        activity?.SetTag(TagNames.NodeId, node.Id);
        activity?.SetTag(TagNames.StepId, stepId);

        StepApproval? approval = null;
        if (_run.TakeRecorded(stepId) is { } recorded)
        {
            string InputTask() => node is AgentNode agent ? _agents.InputTask(agent, work) : NodeContext.Merge(_run.Input, work.Inputs);
            var decision = recorded.Verdict == EscalateWire ? _run.Approvals.Decisions.GetValueOrDefault(stepId) : null;
            if (decision is null)
            {
                return _recorder.Reuse(work, node, stepId, recorded, InputTask);
            }

            if (decision.State != ApprovalState.Approved || decision.Stage is ApprovalStage.AfterStep or ApprovalStage.Human)
            {
                // Approved after its call (the reviewer saw its output) or a human node: the recorded output stands.
                // Rejected: the step, and so the run, ends blocked.
                var settled = decision.State == ApprovalState.Approved
                    ? StepVerdict.Commit
                    : StepVerdict.Block(BlockReason.HitlRejected, ApprovalHistory.Describe(decision));
                if (settled.Reason is { } rejected && _run.Replay is null)
                {
                    _run.Engine.Metrics.StepBlocked(rejected);
                }

                return _recorder.Reuse(work, node, stepId, recorded, InputTask, settled);
            }

            // Approved before its call, or at a tool call: the step runs now, the approved escalation lifted and the
            // calls its escalated attempt made answered from their records. What that attempt spent stays spent.
            _run.Budget.Add(new TokenUsage(recorded.TokensInput, recorded.TokensOutput, recorded.TokensEstimated), recorded.CostUsd);
            approval = StepApproval.Of(recorded, decision.Stage, _run.Sinks);
        }

        if (_run.Replay is { } replay)
        {
            if (replay.RecordedError is { NodeId: { } failedNode } recordedError && failedNode == node.Id && replay.FirstUnused() is null)
            {
                // The recorded run failed here, after every recorded step: the replay ends the same way.
                return StepCompletion.Failed(work.Node, recordedError);
            }

            // A replay never calls a model or a tool: a step the recording lacks is where the workflow diverged.
            return _recorder.Diverged(work.Node, replay.FirstUnused(), stepId, "unrecorded_step",
                $"the workflow now runs step '{stepId}', which the recording does not have");
        }

        var model = node is AgentNode agentNode ? _run.ResolveModel(work.Node, agentNode) : null;
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        StepCheckContext check;
        try
        {
            check = await ContextAsync(node, model, work, stepId, approval, runToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !runToken.IsCancellationRequested)
        {
            // Who acts, or what the tenant spent, could not be established: the step does not run without it.
            return StepCompletion.Failed(work.Node, new RunError(RunErrorCodes.CheckFailed,
                $"step '{stepId}' of node '{node.Id}' was stopped: its identity or the tenant's spend could not be read: {ex.Message}", node.Id));
        }

        _run.Events.Publish(new StepStartEvent
        {
            RunId = _run.RunId, NodeId = node.Id, StepId = stepId, AgentId = agentId, Iteration = work.Iteration,
            Model = model?.ModelId, Offline = model?.Offline ?? false, AgentDid = check.Agent?.Did,
        });

        var step = new StepRecord
        {
            StepId = stepId, NodeId = node.Id, AgentId = agentId, Kind = node.Kind, Role = node.Role, Iteration = work.Iteration,
            InputTask = NodeContext.Merge(_run.Input, work.Inputs), Output = string.Empty, StartedAt = startedAt,
            Model = model?.ModelId, Offline = model?.Offline ?? false, AgentDid = check.Agent?.Did, Provider = model?.Provider,
            Unpriced = model is { PriceKnown: false },
        };

        try
        {
            var before = await _pipeline.BeforeStepAsync(check, runToken).ConfigureAwait(false);
            if (!before.IsCommit)
            {
                return await FinishAsync(step, string.Empty, check, before, default, 0m, started, work.Node, ApprovalStage.BeforeStep).ConfigureAwait(false);
            }

            var result = await CallAsync(node, model, work, check, runToken).ConfigureAwait(false);
            if (result.Error is { } error)
            {
                return StepCompletion.Failed(work.Node, error);
            }

            var (output, tokens, toolCalls, inputTask) = result.Value;
            // A step that failed over is priced, and recorded, as the model that answered.
            var answered = result.Value.Answered ?? model;
            var cost = answered?.Pricing.Cost(tokens.Input, tokens.Output, tokens.CachedInput) ?? 0m;
            _run.Budget.Add(tokens, cost);
            _run.Engine.DailySpend.Add(_run.TenantId, cost);
            step = step with
            {
                Output = output, InputTask = inputTask ?? step.InputTask, ToolCalls = toolCalls, FinishReason = result.Value.FinishReason,
                ModelAttempts = result.Value.ModelAttempts, RetrievedChunks = result.Value.RetrievedChunks,
            };
            if (answered is not null && !ReferenceEquals(answered, model))
            {
                step = step with { Model = answered.ModelId, Provider = answered.Provider, Unpriced = !answered.PriceKnown };
            }

            var published = result.Value.Published ?? _run.Sinks.Clean(output);
            var (after, stage) = result.Value.Verdict.IsCommit
                ? (await _pipeline.AfterStepAsync(check, new StepOutcome(output, tokens, cost) { ToolCalls = toolCalls }, runToken).ConfigureAwait(false),
                    ApprovalStage.AfterStep)
                : (result.Value.Verdict, node is HumanNode ? ApprovalStage.Human : ApprovalStage.ToolCall);
            return await FinishAsync(step, published, check, after, tokens, cost, started, work.Node, stage).ConfigureAwait(false);
        }
        catch (StepCheckException ex)
        {
            return StepCompletion.Failed(work.Node, new RunError(RunErrorCodes.CheckFailed,
                $"step '{stepId}' of node '{node.Id}' was stopped: {ex.Message}", node.Id));
        }
    }

    // The node's own call, under the step timeout.
    private async ValueTask<(StepResult Value, RunError? Error)> CallAsync(WorkflowNode node, ResolvedModel? model, StepWork work,
        StepCheckContext check, CancellationToken runToken)
    {
        using var stepCancellation = StepCancellation(runToken, out var timer);
        using var timerRegistration = timer;
        var token = stepCancellation?.Token ?? runToken;
        try
        {
            var result = node switch
            {
                AgentNode agent => await _agents.RunAsync(agent, model!, work, check, token).ConfigureAwait(false),
                FunctionNode function => await _functions.RunAsync(function, work, check.StepId, token).ConfigureAwait(false),
                ToolNode tool => await _tools.RunAsync(tool, work, check, token).ConfigureAwait(false),
                RagNode rag => await _rag.RunAsync(rag, work, check.StepId, token).ConfigureAwait(false),
                RouterNode => _run.Whole(node.Id, check.StepId, null, NodeContext.Merge(_run.Input, work.Inputs)),
                // An approval step waits for its reviewer; approved, it passes its input on (what the reviewer saw).
                HumanNode human => _run.Whole(node.Id, check.StepId, null, NodeContext.Merge(_run.Input, work.Inputs)) with
                {
                    Verdict = StepPipeline.Settle(check, new StepVerdict(Verdict.Escalate, null, $"approval step: {human.Instructions}"), approved: false),
                },
                _ => throw new NotSupportedException($"node kind {node.Kind} cannot run"),
            };
            return (result, null);
        }
        catch (OperationCanceledException) when (stepCancellation?.IsCancellationRequested == true && !runToken.IsCancellationRequested)
        {
            return (default, new RunError(RunErrorCodes.StepTimeout,
                $"step '{check.StepId}' of node '{node.Id}' ran past the step timeout of {_run.Policy.StepTimeout}", node.Id));
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            return (default, new RunError(RunErrorCodes.Cancelled, $"the run was cancelled during step '{check.StepId}'", node.Id));
        }
    }

    // One token source per step, cancelled by the run or by the step timeout. The system clock uses the
    // source's own timer; any other TimeProvider (a FakeTimeProvider in tests) drives it through its timer.
    private CancellationTokenSource? StepCancellation(CancellationToken runToken, out ITimer? timer)
    {
        timer = null;
        var timeout = _run.Policy.StepTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        var source = CancellationTokenSource.CreateLinkedTokenSource(runToken);
        var time = _run.Engine.TimeProvider;
        if (ReferenceEquals(time, TimeProvider.System))
        {
            source.CancelAfter(timeout);
        }
        else
        {
            timer = time.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), source, timeout, Timeout.InfiniteTimeSpan);
        }

        return source;
    }

    // What the step's checks need: who acts (an agent's identity, revocation read fresh), what it may call, and
    // what the tenant spent today when the policy limits it.
    private async ValueTask<StepCheckContext> ContextAsync(WorkflowNode node, ResolvedModel? model, StepWork work, string stepId, StepApproval? approval,
        CancellationToken token)
    {
        var policy = _run.Policy;
        AgentIdentity? agent = null;
        IReadOnlySet<string>? capabilities = null;
        if (node is AgentNode agentNode)
        {
            var declared = _run.CapabilitiesOf(work.Node, agentNode);
            agent = await _run.Engine.Agents.IdentifyAsync(_run.TenantId, _run.Workflow.Name, agentNode, declared.Declared, token).ConfigureAwait(false);
            capabilities = declared.Set;
        }
        else if (policy.AllowedTools.Count > 0)
        {
            capabilities = _run.AllowedTools;
        }

        decimal? spentToday = policy.MaxDailyCostUsd > 0
            ? await _run.Engine.DailySpend.TodayAsync(_run.TenantId, token).ConfigureAwait(false)
            : null;
        return new StepCheckContext(_run.RunId, node.Id, stepId, work.Iteration, policy, _run.Budget)
        {
            TenantId = _run.TenantId, Workflow = _run.Workflow.Name, Node = node, RunStartedAt = _run.StartedAt, Time = _run.Engine.TimeProvider,
            Agent = agent, Capabilities = capabilities, TenantSpentToday = spentToday, PreviousOutput = work.PreviousOutput, Approval = approval,
            RunInput = _run.Input, Inputs = work.Inputs, Audit = _run.Audit, Model = model,
        };
    }

    // published: the output as it leaves the step (cleaned of secrets and PHI when the policy says so), for its
    // step_end and its record; the run goes on with the output itself.
    private async ValueTask<StepCompletion> FinishAsync(StepRecord step, string published, StepCheckContext check, StepVerdict verdict, TokenUsage tokens,
        decimal cost, long started, int node, string stage)
    {
        var escalated = verdict.Verdict == Verdict.Escalate;
        var durationMs = _run.Engine.TimeProvider.GetElapsedTime(started).TotalMilliseconds;
        step = step with
        {
            Verdict = verdict.Verdict, BlockReason = verdict.Reason, BlockDetail = verdict.Detail, Tokens = tokens, CostUsd = cost,
            DurationMs = durationMs, Risk = check.Risk, Uncertainty = check.Uncertainty,
        };
        // The step's record and the run's checkpoint are committed before anyone hears the step ended.
        await _recorder.RecordAsync(step, published, check, escalated ? stage : null).ConfigureAwait(false);
        step = _run.AddStep(step);

        MeshFlowTelemetry.Steps.Add(1);
        _run.Engine.Metrics.StepEnded(new StepMeasurement(step.Provider, step.Model, tokens.Input, tokens.Output, cost,
            verdict.Verdict == Verdict.Blocked ? verdict.Reason : null, step.AgentId, step.Uncertainty));
        _run.Events.Publish(new StepEndEvent
        {
            RunId = _run.RunId, NodeId = step.NodeId, StepId = step.StepId, AgentId = step.AgentId, Output = published,
            Verdict = verdict.Verdict, BlockReason = verdict.Reason, BlockDetail = verdict.Detail, Tokens = tokens, CostUsd = cost,
            DurationMs = durationMs, Model = step.Model, Offline = step.Offline, AgentDid = step.AgentDid, RiskTier = step.Risk?.Tier,
            RiskRule = step.Risk?.Rule, Uncertainty = step.Uncertainty,
        });
        if (verdict.IsCommit && _run.Workflow.Graph.Nodes[node] is AgentNode { Memory: not null } agent)
        {
            // Before the scheduler hears the step ended, so a later step of the same scope (a loop's next pass) recalls it.
            await _memory.RememberAsync(agent, published).ConfigureAwait(false);
        }

        if (escalated)
        {
            // The run pauses once its steps in flight wind down; the pause is announced when it is committed.
            _run.RequestPause(new PauseRequest(step, stage, verdict, (_run.Workflow.Graph.Nodes[node] as HumanNode)?.Instructions));
        }

        return new StepCompletion(node, step.Output, verdict, null);
    }
}
