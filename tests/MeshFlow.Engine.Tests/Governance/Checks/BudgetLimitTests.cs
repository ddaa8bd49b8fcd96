using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Tests.Governance.Checks;

public sealed class BudgetLimitTests
{
    [Fact]
    public async Task MaxToolCalls_refuses_the_call_past_the_limit_before_it_runs()
    {
        var tool = new CountingTool("lookup");
        AIFunction low = tool.Function.WithRisk(RiskTier.Low);
        var workflow = new WorkflowBuilder("calls")
            .AddNode(new AgentNode("a") { ChatClient = ToolCallingModel.Calling("lookup", new Dictionary<string, object?> { ["input"] = "1" }), Tools = [low] })
            .AddNode(new AgentNode("b") { ChatClient = ToolCallingModel.Calling("lookup", new Dictionary<string, object?> { ["input"] = "2" }), Tools = [low] })
            .AddEdge("a", "b")
            .WithPolicy(Policy.ForMode(PolicyModes.Standard) with { MaxToolCalls = 1 })
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Blocked, result.Status);
        Assert.Equal(1, tool.Calls);
        var blocked = result.Steps.Single(s => s.NodeId == "b");
        Assert.Equal(BlockReason.Budget, blocked.BlockReason);
        Assert.StartsWith("MaxToolCalls (1) reached", blocked.BlockDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxWallTime_blocks_the_next_step_once_the_run_has_taken_longer()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var slow = new DelegateChatClient((_, _, ct) =>
        {
            time.Advance(TimeSpan.FromMinutes(6));
            return DelegateChatClient.Yield(["done"], ct);
        });
        var second = DelegateChatClient.FromChunks("never");
        var workflow = new WorkflowBuilder("wall")
            .AddNode(new AgentNode("a") { ChatClient = slow })
            .AddNode(new AgentNode("b") { ChatClient = second })
            .AddEdge("a", "b")
            .WithPolicy(Policy.ForMode(PolicyModes.Dev) with { MaxWallTime = TimeSpan.FromMinutes(5) })
            .Build();

        var result = await new MeshFlowEngine(new MeshFlowEngineOptions { TimeProvider = time }).RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Blocked, result.Status);
        Assert.Empty(second.Calls);
        Assert.StartsWith("MaxWallTime (00:05:00) reached", result.Steps.Single(s => s.NodeId == "b").BlockDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenants_spent_day_blocks_its_running_runs_and_leaves_other_tenants_alone()
    {
        var options = new MeshFlowEngineOptions();
        options.Pricing["priced"] = new MeshFlow.Agents.ModelPricing(1_000_000m, 1_000_000m);
        var engine = new MeshFlowEngine(options);
        var policy = Policy.ForMode(PolicyModes.Dev) with { MaxDailyCostUsd = 5m };
        Workflow Chain() => new WorkflowBuilder("daily")
            .AddNode(new AgentNode("a") { ChatClient = DelegateChatClient.FromChunks("one two"), Model = "priced" })
            .AddNode(new AgentNode("b") { ChatClient = DelegateChatClient.FromChunks("three") , Model = "priced" })
            .AddEdge("a", "b")
            .WithPolicy(policy)
            .Build();

        var acme = await engine.RunAsync(Chain(), "x", new RunOptions { TenantId = "acme" });
        // Globex's first step would be refused if acme's spend counted against it.
        var globex = await engine.RunAsync(new WorkflowBuilder("daily")
            .AddNode(new AgentNode("a") { ChatClient = DelegateChatClient.FromChunks("one"), Model = "priced" })
            .WithPolicy(policy).Build(), "x", new RunOptions { TenantId = "globex" });

        Assert.Equal(RunStatus.Blocked, acme.Status);
        var blocked = acme.Steps.Single(s => s.NodeId == "b");
        Assert.Equal(BlockReason.Budget, blocked.BlockReason);
        Assert.Contains("the tenant's daily budget (MaxDailyCostUsd 5) is spent", blocked.BlockDetail, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, globex.Status);
    }

    [Fact]
    public async Task Time_a_run_waited_in_the_queue_does_not_count_against_its_wall_time()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var audit = new MeshFlow.Ledger.AuditLedger(ledger.Store, ledger.Ledger.Signer, time);
        var policy = Policy.ForMode(PolicyModes.Dev) with { MaxWallTime = TimeSpan.FromMinutes(5) };
        var workflow = new WorkflowBuilder("queued").AddAgent("a", model: "offline").WithPolicy(policy).Build();
        await audit.TryStartRunAsync(RunOptions.DefaultTenant, "run_queued", new MeshFlow.Ledger.RunStartPayload
        {
            Workflow = workflow.Name, WorkflowDigest = workflow.Digest, Input = "x", Policy = policy,
        });
        time.Advance(TimeSpan.FromHours(1));

        var result = await new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = audit, TimeProvider = time })
            .RunAsync(workflow, "x", new RunOptions { RunId = "run_queued", Resume = true });

        Assert.Equal(RunStatus.Completed, result.Status);
    }

    [Fact]
    public async Task Every_model_call_of_a_tool_loop_counts_toward_the_steps_tokens()
    {
        var tool = new CountingTool("lookup");
        var model = new DelegateChatClient((messages, _, ct) => Reported(messages, ct));
        var workflow = new WorkflowBuilder("loop").AddNode(new AgentNode("a") { ChatClient = model, Tools = [tool.Function.WithRisk(RiskTier.Low)] }).Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(2, model.Calls.Count);
        Assert.Equal(new TokenUsage(30, 12), result.Steps[0].Tokens);
        Assert.Equal(new TokenUsage(30, 12), result.Tokens);
    }

    [Fact]
    public async Task A_tool_loops_next_model_turn_is_refused_once_the_budget_is_spent_and_capped_by_what_remains_otherwise()
    {
        var caps = new List<int?>();
        DelegateChatClient Model() => new((messages, options, ct) =>
        {
            lock (caps)
            {
                caps.Add(options?.MaxOutputTokens);
            }

            return Reported(messages, ct);
        });
        Workflow Loop(DelegateChatClient model, long maxTokens) => new WorkflowBuilder("turns")
            .AddNode(new AgentNode("a") { ChatClient = model, Tools = [new CountingTool("lookup").Function.WithRisk(RiskTier.Low)] })
            .WithPolicy(Policy.ForMode(PolicyModes.Dev) with { MaxTokens = maxTokens })
            .Build();

        var spentModel = Model();
        var spent = await new MeshFlowEngine().RunAsync(Loop(spentModel, maxTokens: 15), "x");

        Assert.Equal(RunStatus.Blocked, spent.Status);
        Assert.Single(spentModel.Calls);
        var step = Assert.Single(spent.Steps);
        Assert.Equal(BlockReason.Budget, step.BlockReason);
        Assert.Equal("MaxTokens (15) reached: 15 tokens used; the model's next turn was not asked for", step.BlockDetail);
        Assert.Equal(new TokenUsage(10, 5), step.Tokens);

        caps.Clear();
        var roomy = await new MeshFlowEngine().RunAsync(Loop(Model(), maxTokens: 100), "x");

        Assert.Equal(RunStatus.Completed, roomy.Status);
        Assert.Equal([100, 85], caps);
    }

    // First call: a tool call, reporting 10 in and 5 out; second (with the result): an answer, reporting 20 in and 7 out.
    private static async IAsyncEnumerable<ChatResponseUpdate> Reported(IReadOnlyList<ChatMessage> messages,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        ct.ThrowIfCancellationRequested();
        if (!messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Any())
        {
            yield return new ChatResponseUpdate { Role = ChatRole.Assistant, Contents = [new FunctionCallContent("c1", "lookup", new Dictionary<string, object?>())] };
            yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 })] };
            yield break;
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, "found it");
        yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 20, OutputTokenCount = 7 })] };
    }
}
