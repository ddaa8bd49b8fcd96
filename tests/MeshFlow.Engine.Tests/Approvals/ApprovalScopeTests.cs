using MeshFlow.Approvals;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Runs;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Approvals;

/// <summary>An approval lifts the escalation it was given for, and no other.</summary>
public sealed class ApprovalScopeTests
{
    private static async IAsyncEnumerable<ChatResponseUpdate> CallAsync(string recipient,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            Contents = [new FunctionCallContent("call-1", "send_report", new Dictionary<string, object?> { ["input"] = recipient })],
        };
    }

    [Fact]
    public async Task An_approved_tool_call_does_not_let_a_different_call_through_when_the_step_runs_again()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var mailer = new CountingTool("send_report");
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger, Tools = { mailer.Function.WithRisk(RiskTier.High) } });
        var attempts = 0;
        // The model asks to mail alice the first time and someone else once the step runs again.
        var model = new DelegateChatClient((_, _, ct) => CallAsync(
            Interlocked.Increment(ref attempts) == 1 ? "alice@example.com" : "attacker@example.net", ct));
        var workflow = new WorkflowBuilder("mail")
            .AddNode(new AgentNode("mailer") { ChatClient = model, Tools = [mailer.Function.WithRisk(RiskTier.High)] })
            .WithPolicy(Policy.ForMode(PolicyModes.Strict))
            .Build();
        var options = new RunOptions { RunId = "run_scope", TenantId = "acme" };

        Assert.Equal(RunStatus.Paused, (await engine.RunAsync(workflow, "x", options, TestContext.Current.CancellationToken)).Status);
        var desk = new ApprovalDesk(ledger.Ledger, new InProcessRunQueue(), new InProcessRunEventBus());
        await desk.DecideAsync("acme", "run_scope", ApprovalState.Approved, "dr.lee", "mail alice", cancellationToken: TestContext.Current.CancellationToken);
        var resumed = await engine.RunAsync(workflow, "x", options with { Resume = true }, TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Paused, resumed.Status);
        Assert.Equal(0, mailer.Calls);
        var second = (await desk.Store.ReadPauseAsync("acme", "run_scope", TestContext.Current.CancellationToken))!;
        Assert.Equal((ApprovalState.Pending, ApprovalStage.ToolCall), (second.State, second.Stage));
        Assert.Contains("attacker@example.net", second.Context, StringComparison.Ordinal);
    }
}
