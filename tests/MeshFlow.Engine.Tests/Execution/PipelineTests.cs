using MeshFlow.Agents;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Tests.Execution;

public sealed class PipelineTests
{
    private sealed class ScriptedCheck(Func<StepCheckContext, StepVerdict>? before = null, Func<StepOutcome, StepVerdict>? after = null) : IStepCheck
    {
        public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(before?.Invoke(context) ?? StepVerdict.Commit);

        public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken) =>
            ValueTask.FromResult(after?.Invoke(outcome) ?? StepVerdict.Commit);
    }

    private static Workflow Chain(Policy? policy = null, int length = 3)
    {
        var builder = new WorkflowBuilder("chain");
        for (var i = 0; i < length; i++)
        {
            builder.AddNode(new AgentNode($"n{i}") { Model = ModelNames.Offline });
            if (i > 0)
            {
                builder.AddEdge($"n{i - 1}", $"n{i}");
            }
        }

        return (policy is null ? builder : builder.WithPolicy(policy)).Build();
    }

    [Fact]
    public async Task A_check_that_blocks_before_the_call_keeps_the_model_from_being_called()
    {
        var calls = 0;
        var client = new DelegateChatClient((_, _, ct) =>
        {
            Interlocked.Increment(ref calls);
            return DelegateChatClient.Yield(["x"], ct);
        });
        var options = new MeshFlowEngineOptions();
        options.Checks.Add(new ScriptedCheck(before: ctx => ctx.NodeId == "b"
            ? StepVerdict.Block(BlockReason.Guardian, "prompt injection suspected")
            : StepVerdict.Commit));
        var workflow = new WorkflowBuilder("guarded")
            .AddNode(new AgentNode("a") { ChatClient = client })
            .AddNode(new AgentNode("b") { ChatClient = client })
            .AddEdge("a", "b")
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(options), workflow, "x");

        Assert.Equal(1, calls);
        Assert.Equal(RunStatus.Blocked, capture.Result.Status);
        Assert.Equal("b", capture.Result.Error!.NodeId);
        Assert.Contains("prompt injection suspected", capture.Result.Error.Message, StringComparison.Ordinal);
        var blocked = capture.Of<StepEndEvent>().Single(e => e.NodeId == "b");
        Assert.Equal(Verdict.Blocked, blocked.Verdict);
        Assert.Equal(BlockReason.Guardian, blocked.BlockReason);
    }

    [Fact]
    public async Task A_check_that_blocks_after_the_call_keeps_the_output_in_the_record_and_ends_the_run()
    {
        var options = new MeshFlowEngineOptions();
        options.Checks.Add(new ScriptedCheck(after: outcome => outcome.Output.Contains("digest", StringComparison.Ordinal)
            ? StepVerdict.Block(BlockReason.Guardian, "exfiltration signal")
            : StepVerdict.Commit));

        var result = await new MeshFlowEngine(options).RunAsync(Chain(), "x");

        Assert.Equal(RunStatus.Blocked, result.Status);
        var step = Assert.Single(result.Steps);
        Assert.Equal(Verdict.Blocked, step.Verdict);
        Assert.Contains("digest", step.Output, StringComparison.Ordinal);
        Assert.Equal("exfiltration signal", step.BlockDetail);
    }

    [Fact]
    public async Task An_escalate_verdict_pauses_the_run_for_a_human()
    {
        var options = new MeshFlowEngineOptions();
        options.Checks.Add(new ScriptedCheck(before: ctx => ctx.NodeId == "n1"
            ? StepVerdict.Escalate(BlockReason.Dasc, "high-risk action needs approval")
            : StepVerdict.Commit));

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(options), Chain(), "x");

        Assert.Equal(RunStatus.Paused, capture.Result.Status);
        Assert.Equal(RunErrorCodes.Escalated, capture.Result.Error!.Code);
        var pause = Assert.Single(capture.Of<HitlPauseEvent>());
        Assert.Equal("n1", pause.NodeId);
        Assert.Equal("high-risk action needs approval", pause.Reason);
        Assert.Equal(["n0:1", "n1:1"], capture.Result.Steps.Select(s => s.StepId));
        Assert.Equal(Verdict.Escalate, capture.Result.Steps[^1].Verdict);
    }

    [Fact]
    public async Task MaxTokens_blocks_the_step_after_the_budget_is_spent_and_caps_what_the_model_may_write()
    {
        var maxOutputs = new List<int?>();
        var client = new DelegateChatClient((_, options, ct) =>
        {
            lock (maxOutputs)
            {
                maxOutputs.Add(options?.MaxOutputTokens);
            }

            return DelegateChatClient.Yield(["one two three"], ct);
        });
        var workflow = new WorkflowBuilder("tokens")
            .AddNode(new AgentNode("a") { ChatClient = client })
            .AddNode(new AgentNode("b") { ChatClient = client })
            .AddNode(new AgentNode("c") { ChatClient = client })
            .AddEdge("a", "b").AddEdge("b", "c")
            .WithPolicy(Policy.ForMode(PolicyModes.Dev) with { MaxTokens = 20 })
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "Write something about contracts please");

        Assert.Equal(RunStatus.Blocked, result.Status);
        Assert.Contains("MaxTokens (20)", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(BlockReason.Budget, result.Steps[^1].BlockReason);
        Assert.Equal(20, maxOutputs[0]);
        Assert.True(maxOutputs.Count < 3);
    }

    [Fact]
    public async Task MaxCostUsd_is_a_hard_budget_on_priced_models()
    {
        var client = new DelegateChatClient((_, _, ct) => DelegateChatClient.Yield(["answer"], ct));
        var options = new MeshFlowEngineOptions();
        options.Pricing["pricey"] = new ModelPricing(100_000m, 100_000m);
        var builder = new WorkflowBuilder("cost").WithPolicy(Policy.ForMode(PolicyModes.Dev) with { MaxCostUsd = 1m });
        for (var i = 0; i < 10; i++)
        {
            builder.AddNode(new AgentNode($"n{i}") { ChatClient = client, Model = "pricey" });
            if (i > 0)
            {
                builder.AddEdge($"n{i - 1}", $"n{i}");
            }
        }

        var result = await new MeshFlowEngine(options).RunAsync(builder.Build(), "question");

        Assert.Equal(RunStatus.Blocked, result.Status);
        Assert.Contains("MaxCostUsd (1)", result.Error!.Message, StringComparison.Ordinal);
        Assert.True(result.Steps.Count < 10);
    }

    [Fact]
    public async Task A_step_that_runs_past_the_step_timeout_fails_the_run_naming_the_node()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new MeshFlowEngineOptions { TimeProvider = time };
        var workflow = new WorkflowBuilder("slow")
            .AddNode(new FunctionNode("sleeper", async (_, ct) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return "never";
            }))
            .WithPolicy(Policy.ForMode(PolicyModes.Standard) with { StepTimeout = TimeSpan.FromHours(24) })
            .Build();

        var run = new MeshFlowEngine(options).Start(workflow, "x", new RunOptions { CaptureEvents = false });
        await started.Task.WaitAsync(TestTimeouts.Default);
        time.Advance(TimeSpan.FromHours(23));
        Assert.False(run.Completion.IsCompleted);
        time.Advance(TimeSpan.FromHours(1));
        var result = await run.Completion.WaitAsync(TestTimeouts.Default);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(RunErrorCodes.StepTimeout, result.Error!.Code);
        Assert.Equal("sleeper", result.Error.NodeId);
    }

    [Fact]
    public async Task Cancelling_a_run_stops_its_steps_and_ends_it_cancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new DelegateChatClient((_, _, ct) => Endless(started, ct));
        var workflow = new WorkflowBuilder("endless").AddNode(new AgentNode("a") { ChatClient = client }).Build();

        var run = new MeshFlowEngine().Start(workflow, "x");
        var capture = RunCapture.CollectAsync(run);
        await started.Task.WaitAsync(TestTimeouts.Default);
        run.Cancel();
        var finished = await capture;

        Assert.Equal(RunStatus.Cancelled, finished.Result.Status);
        Assert.Equal(RunStatus.Cancelled, Assert.IsType<RunEndEvent>(finished.Events[^1]).Status);
        Assert.NotEmpty(finished.Of<TokenDeltaEvent>());

        static async IAsyncEnumerable<ChatResponseUpdate> Endless(TaskCompletionSource started, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            while (true)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, "tok ");
                started.TrySetResult();
                await Task.Delay(5, ct);
            }
        }
    }

    [Fact]
    public async Task No_step_starts_after_a_cancel_even_when_the_running_step_ignores_its_token()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflow = new WorkflowBuilder("stubborn")
            .AddNode(new FunctionNode("a", async (_, _) =>
            {
                started.SetResult();
                // Deliberately deaf to the run's token: the step finishes after the cancel.
                await release.Task.WaitAsync(TestTimeouts.Default, CancellationToken.None);
                return "a";
            }))
            .AddFunction("b", _ => "b")
            .AddEdge("a", "b")
            .Build();

        var run = new MeshFlowEngine().Start(workflow, "x", new RunOptions { CaptureEvents = false });
        await started.Task.WaitAsync(TestTimeouts.Default);
        run.Cancel();
        release.SetResult();
        var result = await run.Completion.WaitAsync(TestTimeouts.Default);

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.DoesNotContain(result.Steps, s => s.NodeId == "b");
    }

    [Fact]
    public async Task Cancelling_a_run_that_has_ended_changes_nothing()
    {
        var run = new MeshFlowEngine().Start(Chain(length: 1), "x", new RunOptions { CaptureEvents = false });
        var result = await run.Completion.WaitAsync(TestTimeouts.Default);

        run.Cancel();

        Assert.Equal(RunStatus.Completed, result.Status);
    }

    [Fact]
    public async Task A_callers_cancellation_token_cancels_the_run()
    {
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workflow = new WorkflowBuilder("wait")
            .AddNode(new FunctionNode("a", async (_, ct) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return "never";
            }))
            .Build();

        var completion = new MeshFlowEngine().RunAsync(workflow, "x", cancellationToken: cts.Token);
        await started.Task.WaitAsync(TestTimeouts.Default);
        await cts.CancelAsync();
        var result = await completion.WaitAsync(TestTimeouts.Default);

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Equal(RunErrorCodes.Cancelled, result.Error!.Code);
    }
}
