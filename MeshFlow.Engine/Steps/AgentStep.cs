using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MeshFlow.Agents;
using MeshFlow.Agents.Providers;
using MeshFlow.Agents.Resilience;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Governance;
using MeshFlow.Governance.Uncertainty;
using MeshFlow.Runs;
using MeshFlow.Tools;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Steps;

/// <summary>
/// An agent node's call: the prompt from its instructions and inputs, the streamed model call with its tools, each
/// tool call put to the pipeline before it runs, every delta published as it arrives.
/// </summary>
internal sealed class AgentStep(RunScope run, StepPipeline pipeline)
{
    // How long a model may yield tokens without ever making the step wait before the merged delta is published anyway.
    private static readonly TimeSpan MaxBurst = TimeSpan.FromMilliseconds(5);

    private readonly StepMemory _memory = new(run);

    public async ValueTask<StepResult> RunAsync(AgentNode node, ResolvedModel model, StepWork work, StepCheckContext check, CancellationToken token)
    {
        try
        {
            return await RunOnceAsync(node, model, work, check, token).ConfigureAwait(false);
        }
        catch (StreamInterruptedException interrupted) when (run.Policy.RetryInterruptedStreams)
        {
            // The policy asks for the step again, whole: the deltas already sent are void, and the events say so. What
            // the broken attempt used was billed all the same, so it stays spent.
            var spent = model.Pricing.Cost(interrupted.Tokens.Input, interrupted.Tokens.Output, interrupted.Tokens.CachedInput);
            run.Budget.Add(interrupted.Tokens, spent);
            run.Engine.DailySpend.Add(run.TenantId, spent);
            run.Events.Publish(new ErrorEvent
            {
                RunId = run.RunId, NodeId = node.Id, Code = RunErrorCodes.StreamInterrupted,
                Message = $"{interrupted.Message}; step '{check.StepId}' runs again whole (retry_interrupted_streams), and its earlier token deltas are void",
            });
            return await RunOnceAsync(node, model, work, check, token).ConfigureAwait(false);
        }
    }

    private async ValueTask<StepResult> RunOnceAsync(AgentNode node, ResolvedModel model, StepWork work, StepCheckContext check, CancellationToken token)
    {
        var stepId = check.StepId;
        var events = run.Events;
        var messages = BuildMessages(node, work);
        await _memory.RecallAsync(node, messages, InputTask(work, messages), token).ConfigureAwait(false);
        var tools = ResolveTools(node);
        ChatOptions? options = null;
        var policy = run.Policy;
        var remaining = policy.MaxTokens > 0 ? policy.MaxTokens - run.Budget.Tokens.Total : long.MaxValue;
        var maxOutput = OutputLimit.For(node.MaxOutputTokens, remaining);
        if (node.Tools.Count > 0 || node.Temperature is not null || maxOutput is not null)
        {
            options = new ChatOptions
            {
                Tools = tools,
                Temperature = node.Temperature,
                MaxOutputTokens = maxOutput,
            };
        }

        // Token log-probabilities are asked for where the score decides something (a policy with an uncertainty
        // threshold) and the model is a provider's; the text heuristic scores the step otherwise.
        List<double>? logProbs = null;
        if (policy.UncertaintyThreshold < 1 && !model.Offline && model.ModelId != ModelNames.Scripted)
        {
            options = LogProbabilities.Request(options);
            logProbs = [];
        }

        // With a failover list, each call of the step goes to the first of its models that opens its stream.
        var failover = model.Fallbacks.Count > 0 ? new StepFailoverClient([model, .. model.Fallbacks]) : null;
        var client = failover ?? model.Client;
        StepVerdict? breaker = null;
        ToolGate? gate = null;
        if (node.Tools.Count > 0)
        {
            gate = new ToolGate(pipeline, check, tools!);

            // A call of a tool the agent does not have ends the function loop (the model is not asked again) and is
            // put to the checks below, which refuse it.
            // Every turn after a tool result is held to the budgets as the step's first call was.
            // The calls of one response run at once, and their results go back together in one message.
            // A tool that throws is reported to the model with the exception's message, so that it can correct its
            // call: the message is the tool's own, put to the checks as any result is, and the record and events
            // that keep it are cleaned like every result.
            client = new FunctionInvokingChatClient(new TurnBudget(client, run.Budget, policy, model.Pricing))
            {
                FunctionInvoker = gate.InvokeAsync, TerminateOnUnknownCalls = true, AllowConcurrentInvocation = true, IncludeDetailedErrors = true,
            };
        }

        var output = new StringBuilder();
        // With the guardian or PHI scrubbing on, deltas are held back to a safe boundary and cleaned before they go out.
        var filter = StepOutputFilter.For(check);
        List<ToolCallRecord>? toolCalls = null;
        UsageDetails? usage = null;
        ChatFinishReason? finishReason = null;

        // Merging a burst: the text of the deltas not yet published, from output[burstStart..], since burstTicks.
        var burstStart = -1;
        var burstTicks = 0L;
        void PublishBurst()
        {
            if (burstStart >= 0)
            {
                events.Publish(new TokenDeltaEvent { RunId = run.RunId, NodeId = node.Id, StepId = stepId, AgentId = node.AgentId, Text = output.ToString(burstStart, output.Length - burstStart) });
                burstStart = -1;
            }
        }

        void PublishDelta(string text)
        {
            if (text.Length > 0)
            {
                events.Publish(new TokenDeltaEvent { RunId = run.RunId, NodeId = node.Id, StepId = stepId, AgentId = node.AgentId, Text = text });
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

            bool more;
            try
            {
                more = await next.ConfigureAwait(false);
            }
            catch (TurnRefusedException refused)
            {
                gate!.Refuse(refused.Verdict);
                break;
            }
            catch (ProviderCircuitOpenException open)
            {
                breaker = StepVerdict.Block(BlockReason.CircuitBreaker, open.Message);
                break;
            }
            catch (LlmProviderException broken) when (broken.IsTransient && (output.Length > 0 || toolCalls is not null))
            {
                // Tokens (or tool calls) already went out: the step is not silently finished on another model.
                var spent = usage is { InputTokenCount: not null } or { OutputTokenCount: not null }
                    ? new TokenUsage(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, CachedInput: usage.CachedInputTokenCount ?? 0)
                    : new TokenUsage(TokenEstimator.Count(messages), TokenEstimator.Count(output.ToString()), Estimated: true);
                throw new StreamInterruptedException(
                    $"the stream of model '{failover?.Answered?.ModelId ?? model.ModelId}' broke after {output.Length} characters and " +
                    $"{toolCalls?.Count ?? 0} tool calls: {broken.Message}", broken, spent);
            }

            if (!more)
            {
                break;
            }

            if (logProbs is not null)
            {
                LogProbabilities.Collect(updates.Current, logProbs);
            }

            finishReason = updates.Current.FinishReason ?? finishReason;
            var contents = updates.Current.Contents;
            for (var i = 0; i < contents.Count; i++)
            {
                if (contents[i] is not TextContent { Text.Length: > 0 })
                {
                    PublishBurst();
                }

                switch (contents[i])
                {
                    case TextContent { Text.Length: > 0 } text when filter is not null:
                        output.Append(text.Text);
                        PublishDelta(filter.Push(text.Text));
                        break;
                    case TextContent { Text.Length: > 0 } text when run.MergeBursts:
                        if (burstStart < 0)
                        {
                            burstStart = output.Length;
                            burstTicks = Stopwatch.GetTimestamp();
                        }

                        output.Append(text.Text);
                        break;
                    case TextContent { Text.Length: > 0 } text:
                        output.Append(text.Text);
                        events.Publish(new TokenDeltaEvent { RunId = run.RunId, NodeId = node.Id, StepId = stepId, AgentId = node.AgentId, Text = text.Text });
                        break;
                    case FunctionCallContent call:
                        var arguments = JsonSerializer.Serialize(call.Arguments);
                        (toolCalls ??= []).Add(new ToolCallRecord(call.CallId, call.Name, arguments, null));
                        events.Publish(new ToolCallEvent { RunId = run.RunId, NodeId = node.Id, StepId = stepId, AgentId = node.AgentId, CallId = call.CallId, Name = call.Name, Arguments = arguments });
                        if (gate is null || !gate.Has(call.Name))
                        {
                            // A call of a tool the agent was not given (an agent with none included) is put to the
                            // checks all the same; nothing runs it.
                            gate ??= new ToolGate(pipeline, check, []);
                            await gate.RefuseUnknownAsync(call, token).ConfigureAwait(false);
                        }

                        break;
                    case FunctionResultContent result:
                        var resultText = StepText.Result(result.Result);
                        var (durationMs, riskTier) = (gate?.DurationOf(result.CallId), check.ToolCallRisk(result.CallId)?.Tier);
                        StepText.RecordResult(toolCalls, result.CallId, resultText, durationMs, riskTier);
                        events.Publish(new ToolResultEvent
                        {
                            RunId = run.RunId, NodeId = node.Id, StepId = stepId, AgentId = node.AgentId, CallId = result.CallId, Result = resultText,
                            DurationMs = durationMs, RiskTier = riskTier,
                        });
                        break;
                    case UsageContent usageContent:
                        // Each model call of a tool loop reports its own usage: the step spent their sum.
                        (usage ??= new UsageDetails()).Add(usageContent.Details);
                        break;
                }
            }
        }

        PublishBurst();
        if (filter is not null)
        {
            PublishDelta(filter.Flush());
        }

        if (gate is { WithheldResults.IsEmpty: false })
        {
            foreach (var (callId, result) in gate.WithheldResults)
            {
                StepText.RecordResult(toolCalls, callId, result);
            }
        }

        if (gate?.Failure is { } failure)
        {
            throw failure;
        }

        if (logProbs is { Count: > 0 })
        {
            check.TokenLogProbabilities = [.. logProbs];
        }

        var text2 = filter?.Used ?? output.ToString();
        var inputTask = InputTask(work, messages);
        var tokens = usage is { InputTokenCount: not null } or { OutputTokenCount: not null }
            ? new TokenUsage(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, CachedInput: usage.CachedInputTokenCount ?? 0)
            : new TokenUsage(TokenEstimator.Count(messages), TokenEstimator.Count(filter is null ? text2 : output.ToString()), Estimated: true);
        return new StepResult(text2, tokens, (IReadOnlyList<ToolCallRecord>?)toolCalls ?? [], inputTask)
        {
            Verdict = breaker ?? gate?.Refused ?? StepVerdict.Commit, Published = filter?.Published, FinishReason = finishReason?.Value,
            Answered = failover?.Answered, ModelAttempts = failover?.Attempts,
        };
    }

    /// <summary>The task an agent is given, as the ledger records it (also what a replay compares).</summary>
    public string InputTask(AgentNode node, StepWork work) => InputTask(work, BuildMessages(node, work));

    private string InputTask(StepWork work, List<ChatMessage> messages) =>
        work.Inputs.Count == 0 && work.Feedback is null ? run.Input : StepText.User(messages);

    // What an agent is told: its instructions, the run's input, the outputs it depends on and, on a later pass of a
    // loop, its previous output and the feedback that sent the run back.
    private List<ChatMessage> BuildMessages(AgentNode node, StepWork work)
    {
        var messages = new List<ChatMessage>(4 + work.Inputs.Count);
        if (!string.IsNullOrEmpty(node.Instructions))
        {
            messages.Add(new ChatMessage(ChatRole.System, node.Instructions));
        }

        messages.Add(new ChatMessage(ChatRole.User, run.Input));
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
            tools.Add(tool switch
            {
                NamedToolReference named => run.Engine.RequireTool(named.Name),
                InputSchemaFunction { Original: NamedToolReference named } declared => declared.Over(run.Engine.RequireTool(named.Name)),
                _ => tool,
            });
        }

        return tools;
    }
}
