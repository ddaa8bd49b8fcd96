using System.Text.Json;
using MeshFlow.Approvals;
using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Privacy;
using MeshFlow.Runs;
using MeshFlow.Steps;

namespace MeshFlow.Tests.Steps;

public sealed class StepApprovalTests
{
    private static LedgerRecord Escalated(params ToolCallRecord[] calls) => new()
    {
        TenantId = "t", RunId = "r", Seq = 2, PrevHash = "p", Timestamp = DateTimeOffset.UnixEpoch, Kind = LedgerRecordKinds.Step,
        SigningKeyId = "k", PayloadHash = "h", EntryHash = "e", StepId = "agent:1", Verdict = "escalate",
        Payload = LedgerPayloads.Step(new StepPayload { StepId = "agent:1", InputTask = "x", Output = string.Empty, ToolCalls = calls }),
    };

    private static Dictionary<string, object?> Arguments(string input) => new() { ["input"] = JsonSerializer.SerializeToElement(input) };

    [Fact]
    public void Calls_that_ran_beside_the_escalated_one_in_the_same_response_are_answered_from_the_record_after_it_too()
    {
        // The calls of one response ran at once: the first was escalated, the two after it ran.
        var approval = StepApproval.Of(Escalated(
            new ToolCallRecord("c1", "send_report", """{"input":"weekly"}""", "not run: escalate (dasc): tool call 'send_report' is medium"),
            new ToolCallRecord("c2", "lookup", """{"input":"a"}""", "ran lookup a"),
            new ToolCallRecord("c3", "lookup", """{"input":"b"}""", "ran lookup b")), ApprovalStage.ToolCall, SinkFilter.None);

        Assert.True(approval.Lifts("send_report", Arguments("weekly")));
        Assert.Equal("ran lookup b", approval.TakePriorResult("lookup", Arguments("b")));
        Assert.Equal("ran lookup a", approval.TakePriorResult("lookup", Arguments("a")));
        Assert.Null(approval.TakePriorResult("lookup", Arguments("a")));
        Assert.Null(approval.TakePriorResult("send_report", Arguments("weekly")));
    }

    [Fact]
    public void Of_several_calls_refused_together_the_first_is_the_one_the_approval_lifts()
    {
        var approval = StepApproval.Of(Escalated(
            new ToolCallRecord("c1", "send_report", """{"input":"weekly"}""", "not run: escalate (dasc): first"),
            new ToolCallRecord("c2", "send_report", """{"input":"monthly"}""", "not run: escalate (dasc): second")), ApprovalStage.ToolCall, SinkFilter.None);

        Assert.True(approval.Lifts("send_report", Arguments("weekly")));
        Assert.False(approval.Lifts("send_report", Arguments("monthly")));
    }

    [Fact]
    public void The_reviewer_is_shown_the_escalated_call_not_one_that_ran_after_it_in_the_same_response()
    {
        var step = new StepRecord
        {
            StepId = "agent:1", NodeId = "agent", InputTask = "x", Output = string.Empty,
            ToolCalls =
            [
                new ToolCallRecord("c1", "send_report", """{"input":"weekly"}""", "not run: escalate (dasc): tool call 'send_report' is medium"),
                new ToolCallRecord("c2", "lookup", """{"input":"a"}""", "ran lookup a"),
            ],
        };

        var shown = ApprovalContext.Build("w", step, ApprovalStage.ToolCall, null).GetProperty("tool_call");

        Assert.Equal("send_report", shown.GetProperty("name").GetString());
        Assert.False(shown.TryGetProperty("result", out _));
    }
}
