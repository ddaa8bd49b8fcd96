using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Identity;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Governance.Checks;

public sealed class IdentityCheckTests
{
    private static Workflow TwoAgents(string name = "pair") => new WorkflowBuilder(name)
        .AddNode(new AgentNode("writer") { ChatClient = DelegateChatClient.FromChunks("draft") })
        .AddNode(new AgentNode("critic") { ChatClient = DelegateChatClient.FromChunks("fine") })
        .AddEdge("writer", "critic")
        .Build();

    [Fact]
    public async Task Every_agent_has_a_did_key_that_is_stable_across_runs_and_distinct_per_node_and_tenant()
    {
        var engine = new MeshFlowEngine();

        var first = await RunCapture.RunAsync(engine, TwoAgents(), "x", new RunOptions { TenantId = "acme" });
        var second = await RunCapture.RunAsync(engine, TwoAgents(), "x", new RunOptions { TenantId = "acme" });
        var other = await RunCapture.RunAsync(engine, TwoAgents(), "x", new RunOptions { TenantId = "globex" });

        string Did(RunCapture capture, string node) => capture.Of<StepStartEvent>().Single(e => e.NodeId == node).AgentDid!;
        Assert.StartsWith("did:key:z6Mk", Did(first, "writer"), StringComparison.Ordinal);
        Assert.True(DidKey.TryParse(Did(first, "writer"), out _, out _));
        Assert.Equal(Did(first, "writer"), Did(second, "writer"));
        Assert.NotEqual(Did(first, "writer"), Did(first, "critic"));
        Assert.NotEqual(Did(first, "writer"), Did(other, "writer"));
        Assert.Equal(Did(first, "critic"), first.Of<StepEndEvent>().Single(e => e.NodeId == "critic").AgentDid);
        Assert.Equal(Did(first, "critic"), first.Result.Steps.Single(s => s.NodeId == "critic").AgentDid);
    }

    [Fact]
    public async Task The_agent_did_is_in_the_header_of_every_ledger_record_the_agent_produced_and_the_chain_verifies()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger });

        var capture = await RunCapture.RunAsync(engine, TwoAgents(), "x", new RunOptions { TenantId = "acme" });

        var records = await ledger.Store.ReadRecordsAsync("acme", capture.Result.RunId);
        var steps = records.Where(r => r.Kind == LedgerRecordKinds.Step).ToList();
        Assert.Equal(2, steps.Count);
        foreach (var step in steps)
        {
            Assert.Equal(capture.Of<StepStartEvent>().Single(e => e.NodeId == step.NodeId).AgentDid, step.AgentDid);
            Assert.Equal(2, step.FormatVersion);
        }

        Assert.True((await ledger.Ledger.VerifyAsync("acme", capture.Result.RunId)).Valid);
        var agents = await ((IGovernanceStore)ledger.Store).ListAgentsAsync("acme");
        Assert.Equal(["critic", "writer"], agents.Select(a => a.NodeId));
    }

    [Fact]
    public async Task A_tool_outside_the_agents_capabilities_never_runs_and_blocks_the_step_with_identity()
    {
        var allowed = new CountingTool("search");
        var shell = new CountingTool("shell");
        var model = ToolCallingModel.Calling("shell", new Dictionary<string, object?> { ["command"] = "ls" });
        var workflow = new WorkflowBuilder("narrowed")
            .AddNode(new AgentNode("operator") { ChatClient = model, Tools = [allowed.Function, shell.Function] })
            .WithPolicy(Policy.ForMode(PolicyModes.Standard) with { AllowedTools = ["search"] })
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "x");

        Assert.Equal(0, shell.Calls);
        Assert.Single(model.Calls);
        Assert.Equal(RunStatus.Blocked, capture.Result.Status);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal((Verdict.Blocked, BlockReason.Identity), (step.Verdict, step.BlockReason));
        Assert.Contains("tool 'shell' is not among the capabilities of agent 'operator'", step.BlockDetail, StringComparison.Ordinal);
        Assert.Contains("(search)", step.BlockDetail, StringComparison.Ordinal);
        Assert.Equal("shell", Assert.Single(step.ToolCalls).Name);
        var end = Assert.Single(capture.Of<StepEndEvent>());
        Assert.Equal(BlockReason.Identity, end.BlockReason);
        Assert.Equal(step.BlockDetail, end.BlockDetail);
    }

    [Fact]
    public async Task A_tool_within_the_agents_capabilities_runs()
    {
        var search = new CountingTool("search");
        var workflow = new WorkflowBuilder("allowed")
            .AddNode(new AgentNode("operator")
            {
                ChatClient = ToolCallingModel.Calling("search", new Dictionary<string, object?> { ["input"] = "q" }), Tools = [search.Function],
            })
            .WithPolicy(Policy.ForMode(PolicyModes.Standard) with { AllowedTools = ["search"] })
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(1, search.Calls);
        Assert.Equal("Done: ran search", result.Output);
    }

    [Fact]
    public async Task A_call_of_a_tool_the_agent_was_never_given_is_blocked_with_identity()
    {
        var search = new CountingTool("search");
        var model = ToolCallingModel.Calling("delete_everything", new Dictionary<string, object?>());
        var workflow = new WorkflowBuilder("hallucinated")
            .AddNode(new AgentNode("operator") { ChatClient = model, Tools = [search.Function] })
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Blocked, result.Status);
        var step = Assert.Single(result.Steps);
        Assert.Equal(BlockReason.Identity, step.BlockReason);
        Assert.Contains("tool 'delete_everything'", step.BlockDetail, StringComparison.Ordinal);
        Assert.Single(model.Calls);
        Assert.Equal(0, search.Calls);
    }

    [Fact]
    public async Task A_revoked_agent_is_blocked_at_its_next_step_of_a_run_already_in_flight()
    {
        var engine = new MeshFlowEngine();
        var store = engine.Agents.Store;
        var warmUp = await RunCapture.RunAsync(engine, TwoAgents("revocable"), "x", new RunOptions { TenantId = "acme" });
        var criticDid = warmUp.Of<StepStartEvent>().Single(e => e.NodeId == "critic").AgentDid!;

        // The writer's call revokes the critic while the run is under way.
        var writer = new DelegateChatClient((_, _, ct) =>
        {
            store.RevokeAgentAsync("acme", criticDid, "key compromised", DateTimeOffset.UtcNow, ct).GetAwaiter().GetResult();
            return DelegateChatClient.Yield(["draft"], ct);
        });
        var critic = DelegateChatClient.FromChunks("fine");
        var workflow = new WorkflowBuilder("revocable")
            .AddNode(new AgentNode("writer") { ChatClient = writer })
            .AddNode(new AgentNode("critic") { ChatClient = critic })
            .AddEdge("writer", "critic")
            .Build();

        var capture = await RunCapture.RunAsync(engine, workflow, "x", new RunOptions { TenantId = "acme" });

        Assert.Equal(RunStatus.Blocked, capture.Result.Status);
        Assert.Empty(critic.Calls);
        var blocked = capture.Result.Steps.Single(s => s.NodeId == "critic");
        Assert.Equal(BlockReason.Identity, blocked.BlockReason);
        Assert.Contains($"({criticDid}) was revoked", blocked.BlockDetail, StringComparison.Ordinal);
        Assert.Contains("key compromised", blocked.BlockDetail, StringComparison.Ordinal);
        Assert.Equal(Verdict.Commit, capture.Result.Steps.Single(s => s.NodeId == "writer").Verdict);
    }

    [Fact]
    public async Task Revoking_one_tenants_agent_leaves_another_tenants_agent_of_the_same_workflow_acting()
    {
        var engine = new MeshFlowEngine();
        var acme = await RunCapture.RunAsync(engine, TwoAgents("shared"), "x", new RunOptions { TenantId = "acme" });
        var did = acme.Of<StepStartEvent>().Single(e => e.NodeId == "writer").AgentDid!;
        Assert.Null(await engine.Agents.Store.RevokeAgentAsync("globex", did, "not yours", DateTimeOffset.UtcNow));
        Assert.NotNull(await engine.Agents.Store.RevokeAgentAsync("acme", did, "retired", DateTimeOffset.UtcNow));

        var globex = await new MeshFlowEngine(new MeshFlowEngineOptions { GovernanceStore = engine.Agents.Store })
            .RunAsync(TwoAgents("shared"), "x", new RunOptions { TenantId = "globex" });
        var acmeAgain = await engine.RunAsync(TwoAgents("shared"), "x", new RunOptions { TenantId = "acme" });

        Assert.Equal(RunStatus.Completed, globex.Status);
        Assert.Equal(RunStatus.Blocked, acmeAgain.Status);
    }

    [Fact]
    public async Task An_agents_identity_lists_the_tools_it_declares_whatever_each_runs_policy_allows()
    {
        var engine = new MeshFlowEngine();
        var search = new CountingTool("search");
        var fetch = new CountingTool("fetch");
        Workflow Researcher(params string[] allowed) => new WorkflowBuilder("research")
            .AddNode(new AgentNode("researcher") { ChatClient = DelegateChatClient.FromChunks("done"), Tools = [search.Function, fetch.Function] })
            .WithPolicy(Policy.ForMode(PolicyModes.Standard) with { AllowedTools = allowed })
            .Build();

        var narrow = await RunCapture.RunAsync(engine, Researcher("search"), "x");
        var wide = await RunCapture.RunAsync(engine, Researcher(), "x");

        var did = narrow.Of<StepStartEvent>().Single().AgentDid;
        Assert.Equal(did, wide.Of<StepStartEvent>().Single().AgentDid);
        var identity = Assert.Single(await engine.Agents.Store.ListAgentsAsync(RunOptions.DefaultTenant));
        Assert.Equal(did, identity.Did);
        Assert.Equal(["fetch", "search"], identity.Capabilities);
    }

    [Fact]
    public async Task An_agent_with_no_tools_that_calls_one_is_blocked_with_identity()
    {
        var model = ToolCallingModel.Calling("shell", new Dictionary<string, object?> { ["command"] = "ls" });
        var workflow = new WorkflowBuilder("toolless").AddNode(new AgentNode("writer") { ChatClient = model }).Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Blocked, result.Status);
        Assert.Equal(BlockReason.Identity, result.Steps[0].BlockReason);
        Assert.Contains("tool 'shell' is not among the capabilities of agent 'writer'", result.Steps[0].BlockDetail, StringComparison.Ordinal);
        Assert.Contains("(none)", result.Steps[0].BlockDetail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_whose_ledger_keeps_no_identities_is_refused_rather_than_keeping_them_in_one_process()
    {
        var (store, _) = FaultyLedgerStore.Wrap(null!);
        using var signer = MeshFlow.Ledger.Signing.Ed25519LedgerSigner.Create();

        var error = Assert.Throws<ArgumentException>(() => new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = new AuditLedger(store, signer) }));

        Assert.Contains("keeps no agent identities", error.Message, StringComparison.Ordinal);
    }
}
