using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Steps;

public sealed class StepPipelineTests
{
    private sealed class RecordingCheck(string name, List<string> log, Func<string, StepVerdict>? verdict = null, string? throwAt = null) : IStepCheck
    {
        public string Name => name;

        public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken) => Ask("before", context);

        public ValueTask<StepVerdict> BeforeToolCallAsync(StepCheckContext context, ToolCallRequest toolCall, CancellationToken cancellationToken) =>
            Ask("tool", context);

        public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken) =>
            Ask("after", context);

        private ValueTask<StepVerdict> Ask(string stage, StepCheckContext context)
        {
            lock (log)
            {
                log.Add($"{name}:{stage}:{context.NodeId}");
            }

            if (throwAt == stage)
            {
                throw new InvalidOperationException($"{name} broke");
            }

            return ValueTask.FromResult(verdict?.Invoke(stage) ?? StepVerdict.Commit);
        }
    }

    private static MeshFlowEngine Engine(params IStepCheck[] checks)
    {
        var options = new MeshFlowEngineOptions();
        options.Checks.Clear();
        foreach (var check in checks)
        {
            options.Checks.Add(check);
        }

        return new MeshFlowEngine(options);
    }

    private static Workflow OneAgent(DelegateChatClient client, params Microsoft.Extensions.AI.AITool[] tools) =>
        new WorkflowBuilder("pipeline").AddNode(new AgentNode("a") { ChatClient = client, Tools = tools }).Build();

    [Fact]
    public async Task The_pipeline_asks_its_checks_in_order_before_the_call_and_after_it()
    {
        var log = new List<string>();
        var engine = Engine(new RecordingCheck("one", log), new RecordingCheck("two", log), new RecordingCheck("three", log));

        var result = await engine.RunAsync(OneAgent(DelegateChatClient.FromChunks("fine")), "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(["one:before:a", "two:before:a", "three:before:a", "one:after:a", "two:after:a", "three:after:a"], log);
    }

    [Fact]
    public async Task The_pipeline_stops_at_the_first_check_that_does_not_commit()
    {
        var log = new List<string>();
        var client = DelegateChatClient.FromChunks("never");
        var engine = Engine(
            new RecordingCheck("one", log),
            new RecordingCheck("two", log, _ => StepVerdict.Block(BlockReason.Guardian, "two says no")),
            new RecordingCheck("three", log));

        var result = await engine.RunAsync(OneAgent(client), "x");

        Assert.Equal(RunStatus.Blocked, result.Status);
        Assert.Equal(["one:before:a", "two:before:a"], log);
        Assert.Empty(client.Calls);
        Assert.Equal("two says no", Assert.Single(result.Steps).BlockDetail);
    }

    [Fact]
    public async Task A_check_that_throws_before_the_step_fails_it_closed_naming_the_check()
    {
        var log = new List<string>();
        var client = DelegateChatClient.FromChunks("never");
        var engine = Engine(new RecordingCheck("one", log), new RecordingCheck("fragile", log, throwAt: "before"), new RecordingCheck("three", log));

        var capture = await RunCapture.RunAsync(engine, OneAgent(client), "x");

        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        Assert.Equal(RunErrorCodes.CheckFailed, capture.Result.Error!.Code);
        Assert.Contains("check 'fragile' failed before the step: fragile broke", capture.Result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(client.Calls);
        Assert.Equal(["one:before:a", "fragile:before:a"], log);
        Assert.Empty(capture.Of<StepEndEvent>());
    }

    [Fact]
    public async Task A_check_that_throws_before_a_tool_call_keeps_the_tool_from_running()
    {
        var tool = new CountingTool("lookup");
        var log = new List<string>();
        var client = ToolCallingModel.Calling("lookup", new Dictionary<string, object?> { ["input"] = "x" });
        var engine = Engine(new RecordingCheck("fragile", log, throwAt: "tool"));

        var result = await engine.RunAsync(OneAgent(client, tool.Function), "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(RunErrorCodes.CheckFailed, result.Error!.Code);
        Assert.Contains("check 'fragile' failed before a tool call", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, tool.Calls);
        Assert.Single(client.Calls);
    }

    [Fact]
    public async Task A_check_that_throws_after_the_step_fails_it_closed()
    {
        var log = new List<string>();
        var engine = Engine(new RecordingCheck("fragile", log, throwAt: "after"));

        var result = await engine.RunAsync(OneAgent(DelegateChatClient.FromChunks("output")), "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("check 'fragile' failed after the step", result.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(result.Steps);
    }

    [Fact]
    public void The_engine_runs_the_governance_checks_by_default_in_their_order()
    {
        var names = new MeshFlowEngine().Checks.Select(c => c.Name);

        Assert.Equal(["identity", "budget", "risk", "guardian", "collusion_audit", "uncertainty"], names);
    }

    [Fact]
    public async Task A_refused_tool_call_is_recorded_with_the_tool_and_why_and_the_model_never_sees_a_result()
    {
        var tool = new CountingTool("lookup");
        var log = new List<string>();
        var client = ToolCallingModel.Calling("lookup", new Dictionary<string, object?> { ["input"] = "x" });
        var engine = Engine(new RecordingCheck("gate", log, stage => stage == "tool"
            ? StepVerdict.Block(BlockReason.Identity, "not this tool")
            : StepVerdict.Commit));

        var result = await engine.RunAsync(OneAgent(client, tool.Function), "x");

        Assert.Equal(RunStatus.Blocked, result.Status);
        Assert.Equal(0, tool.Calls);
        Assert.Single(client.Calls);
        var step = Assert.Single(result.Steps);
        Assert.Equal((Verdict.Blocked, BlockReason.Identity, "not this tool"), (step.Verdict, step.BlockReason, step.BlockDetail));
        var call = Assert.Single(step.ToolCalls);
        Assert.Equal("lookup", call.Name);
        Assert.Contains("not run", call.Result, StringComparison.Ordinal);
        Assert.DoesNotContain("gate:after:a", log);
    }
}
