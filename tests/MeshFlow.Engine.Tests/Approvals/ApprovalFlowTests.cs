using MeshFlow.Approvals;
using MeshFlow.Execution;
using MeshFlow.Governance.Risk;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;

namespace MeshFlow.Tests.Approvals;

/// <summary>A paused run holds nothing, resumes on approval from its paused step, and ends blocked on rejection.</summary>
public sealed class ApprovalFlowTests
{
    // The publisher is declared high risk, so strict escalates it before its model is called.
    internal const string Publish = """
        name: publish
        policy: strict
        nodes:
          - id: drafter
            model: scripted
            responses: [DRAFT]
          - id: publisher
            model: scripted
            risk: high
            responses: [PUBLISHED]
        edges:
          - from: drafter
            to: publisher
        """;

    // The mailer asks for a tool declared high risk: strict escalates the call, not the step.
    private const string Mailer = """
        name: mailer
        policy: strict
        nodes:
          - id: mailer
            model: scripted
            tools: [send_report]
            responses:
              - { tool_call: { name: send_report, arguments: { input: weekly } } }
              - SENT
        """;

    // A hedging answer is above hipaa's uncertainty threshold: its output is escalated after the call.
    private const string Clinician = """
        name: clinician
        policy: hipaa
        nodes:
          - id: clinician
            model: scripted
            responses: ["I'm not sure, but I think it might possibly be 5 mg; perhaps check with someone."]
        """;

    // An explicit approval step between the draft and its sending.
    private const string Contract = """
        name: contract
        nodes:
          - id: drafter
            model: scripted
            responses: [DRAFT]
          - id: legal
            kind: human
            instructions: Check the indemnity clause.
          - id: sender
            model: scripted
            responses: [SENT]
        edges:
          - from: drafter
            to: legal
          - from: legal
            to: sender
        """;

    [Fact]
    public async Task A_human_node_pauses_with_its_instructions_and_on_approval_passes_its_input_on()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(Contract);

        Assert.Equal(RunStatus.Paused, (await harness.ProcessNextAsync())!.Status);
        var pause = (await harness.Approvals.ReadPauseAsync(ApprovalHarness.Tenant, runId))!;
        Assert.Equal(("legal:1", ApprovalStage.Human, null), (pause.StepId, pause.Stage, pause.BlockReason));
        Assert.Equal("approval step: Check the indemnity clause.", pause.Reason);
        Assert.Contains("\"instructions\":\"Check the indemnity clause.\"", pause.Context, StringComparison.Ordinal);

        await harness.DecideAsync(runId, ApprovalState.Approved);
        var result = await harness.ProcessNextAsync();

        Assert.Equal((RunStatus.Completed, "SENT"), (result!.Status, result.Output));
        var sender = (await harness.RecordsAsync(runId)).Single(r => r.StepId == "sender:1");
        Assert.Contains("DRAFT", LedgerPayloads.ReadStep(sender.Payload).InputTask, StringComparison.Ordinal);
        Assert.Single(await harness.RecordsAsync(runId), r => r.StepId == "legal:1" && r.Kind == LedgerRecordKinds.Step);
    }

    [Fact]
    public async Task An_escalated_step_pauses_the_run_commits_the_pause_and_holds_no_queue_entry()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(Publish);

        var result = await harness.ProcessNextAsync();

        Assert.Equal(RunStatus.Paused, result!.Status);
        Assert.Equal("paused", (await harness.Store.ReadRunAsync(ApprovalHarness.Tenant, runId))!.Status);
        Assert.False(await harness.Queue.HoldsAsync(ApprovalHarness.Tenant, runId));
        var records = await harness.RecordsAsync(runId);
        Assert.Equal([LedgerRecordKinds.RunStart, LedgerRecordKinds.Step, LedgerRecordKinds.Step, LedgerRecordKinds.HitlPause], records.Select(r => r.Kind));
        Assert.Equal(("publisher:1", "escalate"), (records[2].StepId, records[2].Verdict));
        var verification = await harness.Ledger.VerifyAsync(ApprovalHarness.Tenant, runId);
        Assert.True(verification.Valid);
        Assert.Equal(records[^1].Seq, (await harness.Store.ReadHeadAsync(ApprovalHarness.Tenant, runId))!.Seq);

        var pause = Assert.Single(await harness.Approvals.ListPendingAsync(ApprovalHarness.Tenant, 10));
        Assert.Equal((runId, "publisher", "publisher:1", ApprovalStage.BeforeStep, "dasc", "high"),
            (pause.RunId, pause.NodeId, pause.StepId, pause.Stage, pause.BlockReason, pause.Tier));
        Assert.Equal(harness.Time.GetUtcNow().AddSeconds(HitlPolicy.DefaultTimeoutSeconds), pause.ExpiresAt);
        Assert.Empty(await harness.Approvals.ListPendingAsync("globex", 10));

        var events = await harness.EventsAsync(runId);
        var announced = events.Single(e => e.GetProperty("kind").GetString() == "hitl_pause").GetProperty("data");
        Assert.Equal("high", announced.GetProperty("tier").GetString());
        Assert.Equal($"https://meshflow.test/hitl/{runId}/approve?pause={pause.PauseSeq}", announced.GetProperty("approve_url").GetString());
        Assert.Equal($"https://meshflow.test/hitl/{runId}/reject?pause={pause.PauseSeq}", announced.GetProperty("reject_url").GetString());
        Assert.Equal(pause.ExpiresAt, announced.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal("DRAFT", announced.GetProperty("context").GetProperty("input").GetString());
        Assert.Equal("paused", events[^1].GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Approval_resumes_the_run_from_the_paused_step_which_then_runs()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(Publish);
        await harness.ProcessNextAsync();

        var outcome = await harness.DecideAsync(runId, ApprovalState.Approved, notes: "fine to publish");

        Assert.Equal(ApprovalOutcomeKind.Decided, outcome.Kind);
        Assert.Equal("queued", (await harness.Store.ReadRunAsync(ApprovalHarness.Tenant, runId))!.Status);
        var result = await harness.ProcessNextAsync();
        Assert.Equal(RunStatus.Completed, result!.Status);
        Assert.Equal("PUBLISHED", result.Output);

        var records = await harness.RecordsAsync(runId);
        Assert.Equal(
            [LedgerRecordKinds.RunStart, LedgerRecordKinds.Step, LedgerRecordKinds.Step, LedgerRecordKinds.HitlPause, LedgerRecordKinds.HitlDecision,
                LedgerRecordKinds.Step, LedgerRecordKinds.RunEnd],
            records.Select(r => r.Kind));
        var decision = ApprovalPayloads.ReadDecision(records[4].Payload);
        Assert.Equal((records[3].Seq, "publisher:1", "approved", "dr.lee", "fine to publish", true),
            (decision.PauseSeq, decision.StepId, decision.Decision, decision.ReviewerId, decision.Notes, decision.MetDeadline));
        Assert.Equal(("publisher:1", "commit"), (records[5].StepId, records[5].Verdict));
        Assert.Equal("PUBLISHED", LedgerPayloads.ReadStep(records[5].Payload).Output);
        Assert.True((await harness.Ledger.VerifyAsync(ApprovalHarness.Tenant, runId)).Valid);
        Assert.Equal(records[^1].Seq, (await harness.Store.ReadHeadAsync(ApprovalHarness.Tenant, runId))!.Seq);

        var events = await harness.EventsAsync(runId);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
        var kinds = events.Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.True(kinds.IndexOf("hitl_pause") < kinds.IndexOf("hitl_resolved"));
        var publisherEnd = events.Last(e => e.GetProperty("kind").GetString() == "step_end");
        Assert.Equal(("publisher:1", "commit", "PUBLISHED"), (publisherEnd.GetProperty("step_id").GetString(),
            publisherEnd.GetProperty("data").GetProperty("verdict").GetString(), publisherEnd.GetProperty("data").GetProperty("output").GetString()));
        Assert.Equal("completed", events[^1].GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_decision_its_readers_never_heard_of_is_announced_by_the_worker_and_the_step_is_told_again()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(Publish);
        await harness.ProcessNextAsync();

        // The decider's hitl_resolved goes nowhere the run's readers listen (as when its publication failed).
        var deaf = new ApprovalDesk(harness.Ledger, harness.Queue, new MeshFlow.Runtime.InProcess.InProcessRunEventBus(), harness.Time);
        await deaf.DecideAsync(ApprovalHarness.Tenant, runId, ApprovalState.Approved, "dr.lee", null,
            cancellationToken: TestContext.Current.CancellationToken);
        await harness.ProcessNextAsync();

        var events = await harness.EventsAsync(runId);
        var kinds = events.Select(e => (e.GetProperty("kind").GetString(), e.TryGetProperty("step_id", out var s) ? s.GetString() : null)).ToList();
        var resolved = kinds.IndexOf(("hitl_resolved", "publisher:1"));
        Assert.True(resolved > 0);
        Assert.Equal(("step_end", "publisher:1"), kinds.Skip(resolved).First(k => k.Item1 == "step_end"));
        Assert.Equal("PUBLISHED", events.Last(e => e.GetProperty("kind").GetString() == "step_end").GetProperty("data").GetProperty("output").GetString());
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task Rejection_ends_the_run_blocked_with_hitl_rejected_and_the_step_never_runs()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(Publish);
        await harness.ProcessNextAsync();

        Assert.Equal(ApprovalOutcomeKind.Decided, (await harness.DecideAsync(runId, ApprovalState.Rejected, notes: "not this week")).Kind);
        var result = await harness.ProcessNextAsync();

        // Nothing of the run executes after a rejection: the worker ends it from the ledger.
        Assert.Null(result);
        var records = await harness.RecordsAsync(runId);
        var error = LedgerPayloads.ReadRunEnd(records[^1].Payload).Error!;
        Assert.Contains("hitl_rejected", error.Message, StringComparison.Ordinal);
        Assert.Contains("not this week", error.Message, StringComparison.Ordinal);
        Assert.Equal(("blocked", "hitl_rejected"), (records[4].Verdict, records[4].BlockReason));
        Assert.Equal(LedgerRecordKinds.RunEnd, records[^1].Kind);
        Assert.DoesNotContain(records, r => r.Kind == LedgerRecordKinds.Step && r.Verdict == "commit" && r.StepId == "publisher:1");
        Assert.Equal("blocked", (await harness.Store.ReadRunAsync(ApprovalHarness.Tenant, runId))!.Status);
        Assert.True((await harness.Ledger.VerifyAsync(ApprovalHarness.Tenant, runId)).Valid);
        var events = await harness.EventsAsync(runId);
        Assert.Equal(["hitl_resolved", "error", "run_end"], events.TakeLast(3).Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("blocked", events[^1].GetProperty("data").GetProperty("status").GetString());
        Assert.False(await harness.Queue.HoldsAsync(ApprovalHarness.Tenant, runId));
    }

    [Fact]
    public async Task An_escalated_tool_call_runs_its_tool_only_after_approval()
    {
        var mailer = new CountingTool("send_report");
        await using var harness = await ApprovalHarness.OpenAsync(mailer.Function.WithRisk(RiskTier.High));
        var runId = await harness.SubmitAsync(Mailer);

        Assert.Equal(RunStatus.Paused, (await harness.ProcessNextAsync())!.Status);
        Assert.Equal(0, mailer.Calls);
        var pause = (await harness.Approvals.ReadPauseAsync(ApprovalHarness.Tenant, runId))!;
        Assert.Equal(ApprovalStage.ToolCall, pause.Stage);
        Assert.Contains("send_report", pause.Context, StringComparison.Ordinal);

        await harness.DecideAsync(runId, ApprovalState.Approved);
        var result = await harness.ProcessNextAsync();

        Assert.Equal((RunStatus.Completed, "SENT", 1), (result!.Status, result.Output, mailer.Calls));
    }

    // A lookup (low risk) runs before the mailer asks for the high-risk send.
    private const string LookupThenMail = """
        name: lookup-then-mail
        policy: strict
        nodes:
          - id: mailer
            model: scripted
            tools: [lookup, send_report]
            responses:
              - { tool_call: { name: lookup, arguments: { input: recipients } } }
              - { tool_call: { name: send_report, arguments: { input: weekly } } }
              - SENT
        """;

    [Fact]
    public async Task After_a_tool_call_is_approved_the_calls_made_before_it_are_answered_from_the_record_not_run_again()
    {
        var lookup = new CountingTool("lookup");
        var mailer = new CountingTool("send_report");
        await using var harness = await ApprovalHarness.OpenAsync(lookup.Function.WithRisk(RiskTier.Low), mailer.Function.WithRisk(RiskTier.High));
        var runId = await harness.SubmitAsync(LookupThenMail);
        await harness.ProcessNextAsync();
        Assert.Equal((1, 0), (lookup.Calls, mailer.Calls));

        await harness.DecideAsync(runId, ApprovalState.Approved);
        var result = await harness.ProcessNextAsync();

        Assert.Equal((RunStatus.Completed, "SENT"), (result!.Status, result.Output));
        Assert.Equal((1, 1), (lookup.Calls, mailer.Calls));
        var step = (await harness.RecordsAsync(runId)).Last(r => r.Kind == LedgerRecordKinds.Step);
        Assert.Equal(["ran lookup", "ran send_report"], LedgerPayloads.ReadStep(step.Payload).ToolCalls.Select(c => c.Result));
    }

    [Fact]
    public async Task An_output_escalated_after_its_call_is_committed_as_the_reviewer_saw_it()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(Clinician);
        await harness.ProcessNextAsync();
        var pause = (await harness.Approvals.ReadPauseAsync(ApprovalHarness.Tenant, runId))!;
        Assert.Equal((ApprovalStage.AfterStep, "uncertainty"), (pause.Stage, pause.BlockReason));
        Assert.Contains("5 mg", pause.Context, StringComparison.Ordinal);

        await harness.DecideAsync(runId, ApprovalState.Approved);
        var result = await harness.ProcessNextAsync();

        Assert.Equal(RunStatus.Completed, result!.Status);
        Assert.StartsWith("I'm not sure", result.Output, StringComparison.Ordinal);
        var steps = (await harness.RecordsAsync(runId)).Where(r => r.Kind == LedgerRecordKinds.Step).ToList();
        Assert.Single(steps);
    }

    [Fact]
    public async Task A_second_decision_a_stranger_and_a_run_that_never_paused_are_refused()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(Publish);
        await harness.ProcessNextAsync();
        await harness.DecideAsync(runId, ApprovalState.Rejected, reviewer: "first");

        var again = await harness.DecideAsync(runId, ApprovalState.Approved, reviewer: "second");
        var stranger = await harness.Desk.DecideAsync("globex", runId, ApprovalState.Approved, "mallory", null, cancellationToken: TestContext.Current.CancellationToken);
        var missing = await harness.DecideAsync("run_missing", ApprovalState.Approved);
        var plain = await harness.SubmitAsync(Publish.Replace("risk: high", "risk: low", StringComparison.Ordinal));
        await harness.ProcessNextAsync();
        await harness.ProcessNextAsync();
        var notPaused = await harness.DecideAsync(plain, ApprovalState.Approved);

        Assert.Equal((ApprovalOutcomeKind.AlreadyDecided, ApprovalState.Rejected, "first"), (again.Kind, again.Pause!.State, again.Pause.ReviewerId));
        Assert.Equal(ApprovalOutcomeKind.NotFound, stranger.Kind);
        Assert.Equal(ApprovalOutcomeKind.NotFound, missing.Kind);
        Assert.Equal((ApprovalOutcomeKind.NotPaused, "completed"), (notPaused.Kind, notPaused.RunStatus));
    }

    [Fact]
    public async Task With_human_approval_off_an_escalation_blocks_instead_of_pausing()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(Publish.Replace("policy: strict", "policy: { mode: strict, hitl: { enabled: false } }", StringComparison.Ordinal));

        var result = await harness.ProcessNextAsync();

        Assert.Equal(RunStatus.Blocked, result!.Status);
        Assert.Contains("hitl.enabled: false", result.Error!.Message, StringComparison.Ordinal);
        Assert.Null(await harness.Approvals.ReadPauseAsync(ApprovalHarness.Tenant, runId));
    }

    [Fact]
    public async Task A_run_delivered_again_while_it_waits_is_acknowledged_without_running_or_pausing_twice()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(Publish);
        await harness.ProcessNextAsync();
        var before = await harness.RecordsAsync(runId);
        var start = LedgerPayloads.ReadRunStart(before[0].Payload);

        await harness.Queue.EnqueueAsync(new MeshFlow.Runtime.RunRequest
        {
            TenantId = ApprovalHarness.Tenant, RunId = runId, Definition = start.Definition!, Input = start.Input, Policy = start.Policy,
        }, TestContext.Current.CancellationToken);
        var again = await harness.ProcessNextAsync();

        Assert.Null(again);
        Assert.Equal(before.Count, (await harness.RecordsAsync(runId)).Count);
        Assert.False(await harness.Queue.HoldsAsync(ApprovalHarness.Tenant, runId));
        Assert.Single(await harness.Approvals.ListPendingAsync(ApprovalHarness.Tenant, 10));
    }

    [Fact]
    public async Task A_replay_of_an_approved_run_is_identical()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(Publish);
        await harness.ProcessNextAsync();
        await harness.DecideAsync(runId, ApprovalState.Approved);
        await harness.ProcessNextAsync();

        var replay = await LedgerReplay.ReplayAsync(harness.Engine, MeshFlow.Declarative.WorkflowYaml.Load(Publish), harness.Ledger, ApprovalHarness.Tenant,
            runId, TestContext.Current.CancellationToken);

        Assert.True(replay.Identical, replay.Detail);
    }
}
