using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Collusion;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Steps.Collusion;

/// <summary>The collusion audit over whole runs: its findings are ledger records of their own, and escalate when the policy asks.</summary>
public sealed class CollusionRunTests
{
    private const string Draft =
        "The supplier shall indemnify the customer against all third party claims arising from the supplier's breach of " +
        "this agreement, including reasonable legal fees, provided the customer notifies the supplier within thirty days.";

    private static Policy Audited(CollusionAction onFinding = CollusionAction.Record) =>
        Policy.ForMode(PolicyModes.Standard) with { CollusionAudit = new CollusionPolicy { Enabled = true, OnFinding = onFinding } };

    private static Workflow WriterAndCritic(string critique, Policy policy) => new WorkflowBuilder("review")
        .AddNode(new AgentNode("writer") { ChatClient = DelegateChatClient.FromChunks(Draft) })
        .AddNode(new AgentNode("critic") { Role = "critic", ChatClient = DelegateChatClient.FromChunks(critique) })
        .AddEdge("writer", "critic")
        .WithPolicy(policy)
        .Build();

    private static async Task<(RunCapture Capture, IReadOnlyList<LedgerRecord> Records, TestLedger Ledger)> RunAsync(Workflow workflow,
        params CountingTool[] tools)
    {
        var ledger = await TestLedger.OpenSqliteAsync();
        var options = new MeshFlowEngineOptions { Ledger = ledger.Ledger };
        foreach (var tool in tools)
        {
            options.Tools.Add(tool.Function);
        }

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(options), workflow, "draft the indemnity");
        return (capture, await ledger.Store.ReadRecordsAsync("default", capture.Result.RunId), ledger);
    }

    [Fact]
    public async Task A_critic_that_approves_by_echoing_the_draft_is_recorded_as_critic_echo()
    {
        var (capture, records, ledger) = await RunAsync(WriterAndCritic("APPROVED. " + Draft, Audited()));
        await using var owned = ledger;

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var record = Assert.Single(records, r => r.Kind == LedgerRecordKinds.Collusion);
        var finding = LedgerPayloads.ReadCollusion(record.Payload);
        Assert.Equal((CollusionPatterns.CriticEcho, "record"), (finding.Pattern, finding.Action));
        Assert.Equal(["critic:1", "writer:1"], finding.Steps.Order(StringComparer.Ordinal));
        Assert.Equal("critic", record.NodeId);
        // Recorded right after the step that completed the pattern, on the same verified chain.
        Assert.Equal(records.Single(r => r.Kind == LedgerRecordKinds.Step && r.NodeId == "critic").Seq + 1, record.Seq);
        Assert.True((await ledger.Ledger.VerifyAsync("default", capture.Result.RunId)).Valid);
    }

    [Fact]
    public async Task A_critic_that_approves_in_its_own_words_is_not_a_finding()
    {
        var (capture, records, ledger) = await RunAsync(WriterAndCritic("APPROVED. The notice period is workable and the fee cap is clear.", Audited()));
        await using var owned = ledger;

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.DoesNotContain(records, r => r.Kind == LedgerRecordKinds.Collusion);
    }

    [Fact]
    public async Task With_on_finding_escalate_the_step_that_completes_a_pattern_waits_for_a_human()
    {
        var (capture, _, ledger) = await RunAsync(WriterAndCritic("APPROVED. " + Draft, Audited(CollusionAction.Escalate)));
        await using var owned = ledger;

        Assert.Equal(RunStatus.Paused, capture.Result.Status);
        var critic = capture.Result.Steps.Single(s => s.NodeId == "critic");
        Assert.Equal((Verdict.Escalate, BlockReason.Guardian), (critic.Verdict, critic.BlockReason));
        Assert.Contains("collusion audit: critic_echo", critic.BlockDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_audit_the_same_run_records_nothing()
    {
        var (_, records, ledger) = await RunAsync(WriterAndCritic("APPROVED. " + Draft, Policy.ForMode(PolicyModes.Standard)));
        await using var owned = ledger;

        Assert.DoesNotContain(records, r => r.Kind == LedgerRecordKinds.Collusion);
    }

    [Fact]
    public async Task A_command_prepared_by_an_agent_without_the_shell_and_run_by_one_with_it_is_a_split_action()
    {
        const string command = "tar czf /tmp/customers.tgz /srv/data/customers";
        var shell = new CountingTool("shell");
        var workflow = new WorkflowBuilder("split")
            .AddNode(new AgentNode("planner") { ChatClient = DelegateChatClient.FromChunks($"Next, the operator should run: {command}") })
            .AddNode(new AgentNode("operator")
            {
                ChatClient = ToolCallingModel.Calling("shell", new Dictionary<string, object?> { ["command"] = command }),
                Tools = [shell.Function],
            })
            .AddEdge("planner", "operator")
            .WithPolicy(Audited())
            .Build();

        var (capture, records, ledger) = await RunAsync(workflow, shell);
        await using var owned = ledger;

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var finding = LedgerPayloads.ReadCollusion(Assert.Single(records, r => r.Kind == LedgerRecordKinds.Collusion).Payload);
        Assert.Equal(CollusionPatterns.SplitAction, finding.Pattern);
        Assert.Equal(["operator", "planner"], finding.Agents.Order(StringComparer.Ordinal));
        Assert.Contains("shell", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_call_of_the_agents_own_making_is_not_a_split_action()
    {
        var shell = new CountingTool("shell");
        var workflow = new WorkflowBuilder("own")
            .AddNode(new AgentNode("planner") { ChatClient = DelegateChatClient.FromChunks("Next, list what the cache folder holds.") })
            .AddNode(new AgentNode("operator")
            {
                ChatClient = ToolCallingModel.Calling("shell", new Dictionary<string, object?> { ["command"] = "ls -la /var/cache/meshflow" }),
                Tools = [shell.Function],
            })
            .AddEdge("planner", "operator")
            .WithPolicy(Audited())
            .Build();

        var (_, records, ledger) = await RunAsync(workflow, shell);
        await using var owned = ledger;

        Assert.DoesNotContain(records, r => r.Kind == LedgerRecordKinds.Collusion);
    }
}
