using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MeshFlow.Agents;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Governance;
using MeshFlow.Observability;
using MeshFlow.Runs;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Execution;

internal sealed partial class RunExecution
{
    private async Task<StepCompletion> ExecuteStepAsync(StepWork work)
    {
        var node = _graph.Nodes[work.Node];
        var time = _engine.TimeProvider;
        var stepId = string.Concat(node.Id, ":", work.Iteration.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var agentId = (node as AgentNode)?.AgentId;
        var runToken = _cancellation.Token;
        using var activity = MeshFlowTelemetry.ActivitySource.StartActivity(ActivityNames.Step);
        activity?.SetTag(TagNames.RunId, _runId);
        activity?.SetTag(TagNames.NodeId, node.Id);
        activity?.SetTag(TagNames.StepId, stepId);

        if (TakeRecorded(stepId) is { } recorded)
        {
            return ReuseRecorded(work, node, stepId, recorded);
        }

        if (_replay?.RecordedError is { NodeId: { } failedNode } recordedError && failedNode == node.Id && _replay.FirstUnused() is null)
        {
            // The recorded run failed here, after every recorded step: the replay ends the same way.
            return StepCompletion.Failed(work.Node, recordedError);
        }

        if (_replay is not null)
        {
            // A replay never calls a model or a tool: a step the recording lacks is where the workflow diverged.
            return Diverged(work.Node, _replay.FirstUnused(), stepId, "unrecorded_step",
                $"the workflow now runs step '{stepId}', which the recording does not have");
        }

        var model = node is AgentNode agent ? ResolveModel(work.Node, agent) : null;
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        _events.Publish(new StepStartEvent
        {
            RunId = _runId, NodeId = node.Id, StepId = stepId, AgentId = agentId, Iteration = work.Iteration,
            Model = model?.ModelId, Offline = model?.Offline ?? false,
        });

        var check = new StepCheckContext(_runId, node.Id, stepId, work.Iteration, _policy, _budget);
        var before = await BeforeStepAsync(check, runToken).ConfigureAwait(false);
        var step = new StepRecord
        {
            StepId = stepId, NodeId = node.Id, AgentId = agentId, Kind = node.Kind, Role = node.Role, Iteration = work.Iteration,
            InputTask = NodeContext.Merge(_input, work.Inputs), Output = string.Empty, StartedAt = startedAt,
            Model = model?.ModelId, Offline = model?.Offline ?? false,
        };
        if (!before.IsCommit)
        {
            return await FinishAsync(step, before, default, 0m, started, work.Node).ConfigureAwait(false);
        }

        using var stepCancellation = StepCancellation(runToken, out var timer);
        using var timerRegistration = timer;
        var token = stepCancellation?.Token ?? runToken;

        StepResult result;
        try
        {
            result = node switch
            {
                AgentNode agentNode => await RunAgentAsync(agentNode, model!, work, stepId, token).ConfigureAwait(false),
                FunctionNode function => await RunFunctionAsync(function, work, stepId, token).ConfigureAwait(false),
                ToolNode tool => await RunToolAsync(tool, work, stepId, token).ConfigureAwait(false),
                RouterNode => Emit(node.Id, stepId, agentId, NodeContext.Merge(_input, work.Inputs)),
                _ => throw new NotSupportedException($"node kind {node.Kind} cannot run"),
            };
        }
        catch (OperationCanceledException) when (stepCancellation?.IsCancellationRequested == true && !runToken.IsCancellationRequested)
        {
            return StepCompletion.Failed(work.Node, new RunError(RunErrorCodes.StepTimeout,
                $"step '{stepId}' of node '{node.Id}' ran past the step timeout of {_policy.StepTimeout}", node.Id));
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            return StepCompletion.Failed(work.Node, new RunError(RunErrorCodes.Cancelled,
                $"the run was cancelled during step '{stepId}'", node.Id));
        }

        var cost = model?.Pricing.Cost(result.Tokens.Input, result.Tokens.Output) ?? 0m;
        _budget.Add(result.Tokens, cost);
        MeshFlowTelemetry.Tokens.Add(result.Tokens.Total);
        var after = await AfterStepAsync(check, new StepOutcome(result.Output, result.Tokens, cost), runToken).ConfigureAwait(false);
        step = step with { Output = result.Output, InputTask = result.InputTask ?? step.InputTask, ToolCalls = result.ToolCalls };
        return await FinishAsync(step, after, result.Tokens, cost, started, work.Node).ConfigureAwait(false);
    }

    // One token source per step, cancelled by the run or by the step timeout. The system clock uses the
    // source's own timer; any other TimeProvider (a FakeTimeProvider in tests) drives it through its timer.
    private CancellationTokenSource? StepCancellation(CancellationToken runToken, out ITimer? timer)
    {
        timer = null;
        var timeout = _policy.StepTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        var source = CancellationTokenSource.CreateLinkedTokenSource(runToken);
        var time = _engine.TimeProvider;
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

    private async ValueTask<StepCompletion> FinishAsync(StepRecord step, StepVerdict verdict, TokenUsage tokens, decimal cost, long started, int node)
    {
        var durationMs = _engine.TimeProvider.GetElapsedTime(started).TotalMilliseconds;
        step = step with
        {
            Verdict = verdict.Verdict, BlockReason = verdict.Reason, BlockDetail = verdict.Detail, Tokens = tokens, CostUsd = cost,
            DurationMs = durationMs,
        };
        // The step's record and the run's checkpoint are committed before anyone hears the step ended.
        await RecordStepAsync(step).ConfigureAwait(false);
        lock (_stepsGate)
        {
            step = step with { Index = _steps.Count + 1 };
            _steps.Add(step);
        }

        MeshFlowTelemetry.Steps.Add(1);
        _events.Publish(new StepEndEvent
        {
            RunId = _runId, NodeId = step.NodeId, StepId = step.StepId, AgentId = step.AgentId, Output = step.Output,
            Verdict = verdict.Verdict, BlockReason = verdict.Reason, Tokens = tokens, CostUsd = cost, DurationMs = durationMs,
            Model = step.Model, Offline = step.Offline,
        });
        if (verdict.Verdict == Verdict.Escalate)
        {
            _events.Publish(new HitlPauseEvent
            {
                RunId = _runId, NodeId = step.NodeId, StepId = step.StepId, AgentId = step.AgentId,
                Reason = verdict.Detail ?? "escalated to a human",
            });
        }

        return new StepCompletion(node, step.Output, verdict, null);
    }

    private async ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken)
    {
        await ExtensionThread.EnterAsync().ConfigureAwait(false);
        foreach (var check in _engine.Checks)
        {
            var verdict = await check.BeforeStepAsync(context, cancellationToken).ConfigureAwait(false);
            if (!verdict.IsCommit)
            {
                return verdict;
            }
        }

        return StepVerdict.Commit;
    }

    private async ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        await ExtensionThread.EnterAsync().ConfigureAwait(false);
        foreach (var check in _engine.Checks)
        {
            var verdict = await check.AfterStepAsync(context, outcome, cancellationToken).ConfigureAwait(false);
            if (!verdict.IsCommit)
            {
                return verdict;
            }
        }

        return StepVerdict.Commit;
    }

    private ResolvedModel ResolveModel(int node, AgentNode agent)
    {
        // Resolved once per node per run: a scripted model's position in its script belongs to the run.
        return _models[node] ??= _engine.Models.Resolve(agent);
    }

    // How long a model may yield tokens without ever making the step wait before the merged delta is published anyway.
    private static readonly TimeSpan MaxBurst = TimeSpan.FromMilliseconds(5);

    private async ValueTask<StepResult> RunAgentAsync(AgentNode node, ResolvedModel model, StepWork work, string stepId, CancellationToken token)
    {
        var messages = BuildMessages(node, work);
        var tools = ResolveTools(node);
        ChatOptions? options = null;
        var remaining = _policy.MaxTokens > 0 ? _policy.MaxTokens - _budget.Tokens.Total : long.MaxValue;
        var maxOutput = (int)Math.Min(node.MaxOutputTokens ?? int.MaxValue, Math.Max(1, remaining));
        if (node.Tools.Count > 0 || node.Temperature is not null || maxOutput != int.MaxValue)
        {
            options = new ChatOptions
            {
                Tools = tools,
                Temperature = node.Temperature,
                MaxOutputTokens = maxOutput == int.MaxValue ? null : maxOutput,
            };
        }

        var client = model.Client;
        if (node.Tools.Count > 0)
        {
            client = new FunctionInvokingChatClient(client) { FunctionInvoker = InvokeToolAsync };
        }

        var output = new StringBuilder();
        List<ToolCallRecord>? toolCalls = null;
        UsageDetails? usage = null;

        // Merging a burst: the text of the deltas not yet published, from output[burstStart..], since burstTicks.
        var burstStart = -1;
        var burstTicks = 0L;
        void PublishBurst()
        {
            if (burstStart >= 0)
            {
                _events.Publish(new TokenDeltaEvent { RunId = _runId, NodeId = node.Id, StepId = stepId, AgentId = node.AgentId, Text = output.ToString(burstStart, output.Length - burstStart) });
                burstStart = -1;
            }
        }

        await using var updates = client.GetStreamingResponseAsync(messages, options, token).GetAsyncEnumerator(token);
        while (true)
        {
            var next = updates.MoveNextAsync();
            if (burstStart >= 0 && (!next.IsCompleted || Stopwatch.GetElapsedTime(burstTicks) >= MaxBurst))
            {
                // The model is about to make us wait (or has yielded for a while without waiting): what it gave so far goes now.
                PublishBurst();
            }

            if (!await next.ConfigureAwait(false))
            {
                break;
            }

            var contents = updates.Current.Contents;
            for (var i = 0; i < contents.Count; i++)
            {
                if (contents[i] is not TextContent { Text.Length: > 0 })
                {
                    PublishBurst();
                }

                switch (contents[i])
                {
                    case TextContent { Text.Length: > 0 } text when _mergeBursts:
                        if (burstStart < 0)
                        {
                            burstStart = output.Length;
                            burstTicks = Stopwatch.GetTimestamp();
                        }

                        output.Append(text.Text);
                        break;
                    case TextContent { Text.Length: > 0 } text:
                        output.Append(text.Text);
                        _events.Publish(new TokenDeltaEvent { RunId = _runId, NodeId = node.Id, StepId = stepId, AgentId = node.AgentId, Text = text.Text });
                        break;
                    case FunctionCallContent call:
                        var arguments = JsonSerializer.Serialize(call.Arguments);
                        (toolCalls ??= []).Add(new ToolCallRecord(call.CallId, call.Name, arguments, null));
                        _events.Publish(new ToolCallEvent { RunId = _runId, NodeId = node.Id, StepId = stepId, AgentId = node.AgentId, CallId = call.CallId, Name = call.Name, Arguments = arguments });
                        break;
                    case FunctionResultContent result:
                        var resultText = ResultText(result.Result);
                        RecordToolResult(toolCalls, result.CallId, resultText);
                        _events.Publish(new ToolResultEvent { RunId = _runId, NodeId = node.Id, StepId = stepId, AgentId = node.AgentId, CallId = result.CallId, Result = resultText });
                        break;
                    case UsageContent usageContent:
                        usage = usageContent.Details;
                        break;
                }
            }
        }

        PublishBurst();

        var text2 = output.ToString();
        var inputTask = InputTask(work, messages);
        var tokens = usage is { InputTokenCount: not null } or { OutputTokenCount: not null }
            ? new TokenUsage(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0)
            : new TokenUsage(TokenEstimator.Count(messages), TokenEstimator.Count(text2), Estimated: true);
        return new StepResult(text2, tokens, (IReadOnlyList<ToolCallRecord>?)toolCalls ?? [], inputTask);
    }

    // What an agent is told: its instructions, the run's input, the outputs it depends on and, on a later pass of a
    // loop, its previous output and the feedback that sent the run back.
    private List<ChatMessage> BuildMessages(AgentNode node, StepWork work)
    {
        var messages = new List<ChatMessage>(4 + work.Inputs.Count);
        if (!string.IsNullOrEmpty(node.Instructions))
        {
            messages.Add(new ChatMessage(ChatRole.System, node.Instructions));
        }

        messages.Add(new ChatMessage(ChatRole.User, _input));
        foreach (var input in work.Inputs)
        {
            messages.Add(new ChatMessage(ChatRole.User, string.Concat("Output of ", input.NodeId, ":\n", input.Output)));
        }

        if (work.Feedback is { } feedback)
        {
            if (work.PreviousOutput is { } previous)
            {
                messages.Add(new ChatMessage(ChatRole.Assistant, previous));
            }

            messages.Add(new ChatMessage(ChatRole.User, string.Concat("Feedback from ", feedback.NodeId, ":\n", feedback.Output)));
        }

        return messages;
    }

    private string AgentInputTask(AgentNode node, StepWork work) => InputTask(work, BuildMessages(node, work));

    private string InputTask(StepWork work, List<ChatMessage> messages) =>
        work.Inputs.Count == 0 && work.Feedback is null ? _input : UserText(messages);

    // Declarative agents name their tools; the engine's registered tools stand in for the names.
    private List<AITool>? ResolveTools(AgentNode node)
    {
        if (node.Tools.Count == 0)
        {
            return null;
        }

        var tools = new List<AITool>(node.Tools.Count);
        foreach (var tool in node.Tools)
        {
            tools.Add(tool is NamedToolReference named
                ? _engine.FindTool(named.Name) ?? throw new InvalidOperationException(
                    $"tool '{named.Name}' is not registered (registered: {string.Join(", ", _engine.ToolNames)})")
                : tool);
        }

        return tools;
    }

    private async ValueTask<StepResult> RunFunctionAsync(FunctionNode node, StepWork work, string stepId, CancellationToken token)
    {
        var context = new NodeContext(_runId, node.Id, stepId, work.Iteration, _input, work.Inputs, work.Feedback, _state);
        await ExtensionThread.EnterAsync().ConfigureAwait(false);
        var output = await node.Function(context, token).ConfigureAwait(false) ?? string.Empty;
        return Emit(node.Id, stepId, null, output);
    }

    private async ValueTask<StepResult> RunToolAsync(ToolNode node, StepWork work, string stepId, CancellationToken token)
    {
        var tool = node.Tool ?? _engine.FindTool(node.ToolName)
            ?? throw new InvalidOperationException(
                $"tool '{node.ToolName}' is not registered (registered: {string.Join(", ", _engine.ToolNames)})");
        var arguments = new AIFunctionArguments(new Dictionary<string, object?>(node.Arguments, StringComparer.Ordinal));
        if (!arguments.ContainsKey("input"))
        {
            arguments["input"] = NodeContext.Merge(_input, work.Inputs);
        }

        var callId = stepId;
        var argumentsJson = JsonSerializer.Serialize<IDictionary<string, object?>>(arguments);
        _events.Publish(new ToolCallEvent { RunId = _runId, NodeId = node.Id, StepId = stepId, CallId = callId, Name = tool.Name, Arguments = argumentsJson });
        await ExtensionThread.EnterAsync().ConfigureAwait(false);
        var result = ResultText(await tool.InvokeAsync(arguments, token).ConfigureAwait(false));
        _events.Publish(new ToolResultEvent { RunId = _runId, NodeId = node.Id, StepId = stepId, CallId = callId, Result = result });
        var emitted = Emit(node.Id, stepId, null, result);
        return emitted with { ToolCalls = [new ToolCallRecord(callId, tool.Name, argumentsJson, result)] };
    }

    // An agent's tool call, made by FunctionInvokingChatClient where the model's stream left off.
    private static async ValueTask<object?> InvokeToolAsync(FunctionInvocationContext context, CancellationToken cancellationToken)
    {
        await ExtensionThread.EnterAsync().ConfigureAwait(false);
        return await context.Function.InvokeAsync(context.Arguments, cancellationToken).ConfigureAwait(false);
    }

    // Nodes that do not stream still honour the contract: their output arrives as one delta before step_end.
    private StepResult Emit(string nodeId, string stepId, string? agentId, string output)
    {
        if (output.Length > 0)
        {
            _events.Publish(new TokenDeltaEvent { RunId = _runId, NodeId = nodeId, StepId = stepId, AgentId = agentId, Text = output });
        }

        return new StepResult(output, default, [], null);
    }

    private static void RecordToolResult(List<ToolCallRecord>? calls, string callId, string result)
    {
        if (calls is null)
        {
            return;
        }

        var index = calls.FindIndex(c => c.CallId == callId);
        if (index >= 0)
        {
            calls[index] = calls[index] with { Result = result };
        }
    }

    private static string ResultText(object? result) => result switch
    {
        null => string.Empty,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString() ?? string.Empty,
        JsonElement element => element.GetRawText(),
        _ => JsonSerializer.Serialize(result),
    };

    private static string UserText(List<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.User)
            {
                if (text.Length > 0)
                {
                    text.Append("\n\n");
                }

                text.Append(message.Text);
            }
        }

        return text.ToString();
    }

    private readonly record struct StepResult(string Output, TokenUsage Tokens, IReadOnlyList<ToolCallRecord> ToolCalls, string? InputTask);
}
