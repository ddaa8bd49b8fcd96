using System.Runtime.CompilerServices;
using MeshFlow.Approvals;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Approvals;

/// <summary>A pause stops new steps but lets the ones in flight finish and be recorded, so a resumed run never redoes them.</summary>
public sealed class ApprovalBranchTests
{
    private static async IAsyncEnumerable<ChatResponseUpdate> AfterAsync(Task gate, string text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, text);
    }

    [Fact]
    public async Task A_branch_in_flight_when_another_escalates_finishes_is_recorded_and_is_not_run_again_on_resume()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var researcher = new DelegateChatClient((_, _, ct) => AfterAsync(release.Task, "FOUND", ct));
        var publisher = DelegateChatClient.FromChunks("PUBLISHED");
        var workflow = new WorkflowBuilder("branches")
            .AddNode(new AgentNode("start") { ChatClient = DelegateChatClient.FromChunks("GO") })
            .AddNode(new AgentNode("publisher") { ChatClient = publisher, Risk = RiskTier.High })
            .AddNode(new AgentNode("researcher") { ChatClient = researcher })
            .AddEdge("start", "publisher")
            .AddEdge("start", "researcher")
            .WithPolicy(Policy.ForMode(PolicyModes.Strict))
            .Build();
        var options = new RunOptions { RunId = "run_branches", TenantId = "acme" };

        var run = engine.Start(workflow, "x", options, TestContext.Current.CancellationToken);
        await foreach (var evt in run.Events.WithCancellation(TestContext.Current.CancellationToken))
        {
            // The researcher is still waiting on its model when the publisher's escalation is recorded.
            if (evt is StepEndEvent { NodeId: "publisher", Verdict: Verdict.Escalate })
            {
                release.SetResult();
            }
        }

        var paused = await run.Completion;
        Assert.Equal(RunStatus.Paused, paused.Status);
        var records = await ledger.Store.ReadRecordsAsync("acme", "run_branches", TestContext.Current.CancellationToken);
        var found = Assert.Single(records, r => r.StepId == "researcher:1");
        Assert.Equal(("commit", "FOUND"), (found.Verdict, LedgerPayloads.ReadStep(found.Payload).Output));

        var desk = new ApprovalDesk(ledger.Ledger, new InProcessRunQueue(), new InProcessRunEventBus());
        await desk.DecideAsync("acme", "run_branches", ApprovalState.Approved, "dr.lee", null, cancellationToken: TestContext.Current.CancellationToken);
        var resumed = await engine.Start(workflow, "x", options with { Resume = true }, TestContext.Current.CancellationToken).Completion;

        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Single(researcher.Calls);
        Assert.Single(publisher.Calls);
        Assert.Contains("FOUND", resumed.Output, StringComparison.Ordinal);
        Assert.Contains("PUBLISHED", resumed.Output, StringComparison.Ordinal);
    }
}
