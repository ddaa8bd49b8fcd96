using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Governance.Checks;

public sealed class RiskCheckTests
{
    private static Workflow Operator(DelegateChatClient model, AIFunction tool, Policy? policy = null) =>
        new WorkflowBuilder("operator")
            .AddNode(new AgentNode("operator") { ChatClient = model, Tools = [tool] })
            .WithPolicy(policy ?? Policy.ForMode(PolicyModes.Standard))
            .Build();

    [Fact]
    public async Task A_destructive_shell_command_is_critical_and_blocked_before_the_tool_runs_in_every_mode()
    {
        foreach (var mode in PolicyModes.All)
        {
            var shell = new CountingTool("shell");
            var model = ToolCallingModel.Calling("shell", new Dictionary<string, object?> { ["command"] = "rm -rf /" });
            await using var ledger = await TestLedger.OpenSqliteAsync();

            var capture = await RunCapture.RunAsync(new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger }),
                Operator(model, shell.Function, Policy.ForMode(mode)), "clean up");

            Assert.Equal(0, shell.Calls);
            Assert.Equal(RunStatus.Blocked, capture.Result.Status);
            var step = Assert.Single(capture.Result.Steps);
            Assert.Equal((Verdict.Blocked, BlockReason.Dasc), (step.Verdict, step.BlockReason));
            Assert.Equal(new RiskFinding(RiskTier.Critical, RiskRuleIds.ShellDestructive, "shell", step.Risk!.Detail), step.Risk);
            var end = Assert.Single(capture.Of<StepEndEvent>());
            Assert.Equal((RiskTier.Critical, RiskRuleIds.ShellDestructive), (end.RiskTier, end.RiskRule));
            var record = (await ledger.Store.ReadRecordsAsync(RunOptions.DefaultTenant, capture.Result.RunId)).Single(r => r.Kind == LedgerRecordKinds.Step);
            Assert.Equal(("blocked", "dasc"), (record.Verdict, record.BlockReason));
            var payload = LedgerPayloads.ReadStep(record.Payload);
            Assert.Equal(RiskTier.Critical, payload.Risk!.Tier);
            Assert.Equal(RiskRuleIds.ShellDestructive, payload.Risk.Rule);
            Assert.Contains("shell", payload.BlockDetail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_harmless_command_of_a_low_risk_tool_runs_and_its_tier_is_recorded()
    {
        var shell = new CountingTool("shell");
        var model = ToolCallingModel.Calling("shell", new Dictionary<string, object?> { ["command"] = "ls -la" });

        var result = await new MeshFlowEngine().RunAsync(Operator(model, shell.Function.WithRisk(RiskTier.Low), Policy.ForMode(PolicyModes.Strict)), "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(1, shell.Calls);
        Assert.Equal((RiskTier.Low, RiskRuleIds.Declared), (result.Steps[0].Risk!.Tier, result.Steps[0].Risk!.Rule));
    }

    [Fact]
    public async Task A_tool_call_at_the_policys_risk_threshold_is_escalated_and_does_not_run()
    {
        var mailer = new CountingTool("send_report");
        var model = ToolCallingModel.Calling("send_report", new Dictionary<string, object?> { ["input"] = "weekly summary" });

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(),
            Operator(model, mailer.Function.WithRisk(RiskTier.Medium), Policy.ForMode(PolicyModes.Hipaa)), "x");

        Assert.Equal(0, mailer.Calls);
        Assert.Equal(RunStatus.Paused, capture.Result.Status);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal((Verdict.Escalate, BlockReason.Dasc), (step.Verdict, step.BlockReason));
        Assert.Contains("at or above the policy's risk threshold (medium)", step.BlockDetail, StringComparison.Ordinal);
        var pause = Assert.Single(capture.Of<HitlPauseEvent>());
        Assert.Equal((BlockReason.Dasc, RiskTier.Medium), (pause.BlockReason, pause.Tier));
    }

    [Fact]
    public async Task The_same_call_below_the_threshold_runs()
    {
        var mailer = new CountingTool("send_report");
        var model = ToolCallingModel.Calling("send_report", new Dictionary<string, object?> { ["input"] = "weekly summary" });

        var result = await new MeshFlowEngine().RunAsync(
            Operator(model, mailer.Function.WithRisk(RiskTier.Medium), Policy.ForMode(PolicyModes.Strict)), "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(1, mailer.Calls);
    }

    [Fact]
    public async Task The_policys_risk_map_overrides_a_tools_declared_tier()
    {
        var tool = new CountingTool("lookup");
        var model = ToolCallingModel.Calling("lookup", new Dictionary<string, object?> { ["input"] = "q" });
        var strict = Policy.ForMode(PolicyModes.Strict);

        var undeclared = await new MeshFlowEngine().RunAsync(Operator(model, tool.Function, strict), "x");
        var overridden = await new MeshFlowEngine().RunAsync(
            Operator(ToolCallingModel.Calling("lookup", new Dictionary<string, object?> { ["input"] = "q" }), tool.Function,
                strict with { Risk = new Dictionary<string, RiskTier> { ["lookup"] = RiskTier.Low } }), "x");

        Assert.Equal(RunStatus.Paused, undeclared.Status);
        Assert.Equal(RiskRuleIds.UndeclaredTool, undeclared.Steps[0].Risk!.Rule);
        Assert.Equal(RunStatus.Completed, overridden.Status);
        Assert.Equal((RiskTier.Low, RiskRuleIds.PolicyOverride), (overridden.Steps[0].Risk!.Tier, overridden.Steps[0].Risk!.Rule));
        Assert.Equal(1, tool.Calls);
    }

    [Fact]
    public async Task A_model_call_declared_high_risk_is_escalated_under_strict_before_the_model_is_called()
    {
        var model = DelegateChatClient.FromChunks("never");
        var workflow = new WorkflowBuilder("risky")
            .AddNode(new AgentNode("trader") { ChatClient = model, Risk = RiskTier.High })
            .WithPolicy(Policy.ForMode(PolicyModes.Strict))
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Paused, result.Status);
        Assert.Empty(model.Calls);
        Assert.Equal((RiskTier.High, RiskRuleIds.ModelCall, "model"), (result.Steps[0].Risk!.Tier, result.Steps[0].Risk!.Rule, result.Steps[0].Risk!.Action));
    }

    [Fact]
    public async Task A_tool_node_with_a_critical_call_is_blocked_before_its_tool_runs()
    {
        var shell = new CountingTool("shell");
        var workflow = new WorkflowBuilder("tool-node")
            .AddNode(new ToolNode("wipe", shell.Function) { Arguments = new Dictionary<string, object?> { ["command"] = "mkfs.ext4 /dev/sda1" } })
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "x");
        var result = capture.Result;

        Assert.Equal(RunStatus.Blocked, result.Status);
        Assert.Equal(0, shell.Calls);
        Assert.Equal((BlockReason.Dasc, RiskTier.Critical), (result.Steps[0].BlockReason, result.Steps[0].Risk!.Tier));
        Assert.Equal("shell", Assert.Single(capture.Of<ToolCallEvent>()).Name);
        Assert.StartsWith("not run: blocked (dasc)", Assert.Single(capture.Of<ToolResultEvent>()).Result, StringComparison.Ordinal);
        Assert.StartsWith("not run: blocked (dasc)", Assert.Single(result.Steps[0].ToolCalls).Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_node_rated_higher_by_its_author_than_by_its_tool_is_held_to_the_authors_tier()
    {
        var report = new CountingTool("report");
        var workflow = new WorkflowBuilder("rated")
            .AddNode(new ToolNode("send", report.Function.WithRisk(RiskTier.Low)) { Risk = RiskTier.High })
            .WithPolicy(Policy.ForMode(PolicyModes.Strict))
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Paused, result.Status);
        Assert.Equal(0, report.Calls);
        Assert.Equal((RiskTier.High, RiskRuleIds.Declared), (result.Steps[0].Risk!.Tier, result.Steps[0].Risk!.Rule));
    }
}
