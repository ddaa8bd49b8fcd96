using MeshFlow.Approvals;
using MeshFlow.Ledger;
using MeshFlow.Runs;

namespace MeshFlow.Tests.Approvals;

/// <summary>Expired pauses resolve per <c>on_timeout</c>, once, by one watcher; decisions racing on a pause resolve it once.</summary>
public sealed class ApprovalTimeoutTests
{
    private static string WithHitl(string hitl) =>
        ApprovalFlowTests.Publish.Replace("policy: strict", $"policy: {{ mode: strict, hitl: {hitl} }}", StringComparison.Ordinal);

    [Fact]
    public async Task An_expired_pause_is_rejected_by_default_as_system_timeout()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(ApprovalFlowTests.Publish);
        await harness.ProcessNextAsync();

        harness.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await harness.Watcher.ResolveExpiredAsync(TestContext.Current.CancellationToken));
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await harness.Watcher.ResolveExpiredAsync(TestContext.Current.CancellationToken));

        var decision = ApprovalPayloads.ReadDecision((await harness.RecordsAsync(runId))[^1].Payload);
        Assert.Equal((ApprovalState.Rejected, ApprovalDesk.TimeoutReviewer, false), (decision.Decision, decision.ReviewerId, decision.MetDeadline));
        await harness.ProcessNextAsync();
        Assert.Equal("blocked", (await harness.Store.ReadRunAsync(ApprovalHarness.Tenant, runId))!.Status);
    }

    [Fact]
    public async Task On_timeout_approve_resumes_the_run()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(WithHitl("{ on_timeout: approve, timeout_seconds: 60 }"));
        await harness.ProcessNextAsync();

        harness.Time.Advance(TimeSpan.FromSeconds(60));
        await harness.Watcher.ResolveExpiredAsync(TestContext.Current.CancellationToken);
        var result = await harness.ProcessNextAsync();

        Assert.Equal((RunStatus.Completed, "PUBLISHED"), (result!.Status, result.Output));
        Assert.Equal(ApprovalDesk.TimeoutReviewer, (await harness.Approvals.ReadPauseAsync(ApprovalHarness.Tenant, runId))!.ReviewerId);
    }

    [Fact]
    public async Task On_timeout_escalate_notifies_escalate_to_extends_the_deadline_once_then_rejects()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var runId = await harness.SubmitAsync(WithHitl(
            "{ on_timeout: escalate, escalate_to: 'https://oncall.example/hooks/meshflow', webhook_url: 'https://reviewers.example/hook', timeout_seconds: 3600 }"));
        await harness.ProcessNextAsync();
        var paused = (await harness.Approvals.ReadPauseAsync(ApprovalHarness.Tenant, runId))!;

        harness.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await harness.Watcher.ResolveExpiredAsync(TestContext.Current.CancellationToken));

        var escalated = (await harness.Approvals.ReadPauseAsync(ApprovalHarness.Tenant, runId))!;
        Assert.Equal((ApprovalState.Pending, true, paused.ExpiresAt.AddHours(1)), (escalated.State, escalated.Escalated, escalated.ExpiresAt));
        Assert.Equal(LedgerRecordKinds.HitlEscalated, (await harness.RecordsAsync(runId))[^1].Kind);
        var messages = await harness.Approvals.ListWebhooksAsync(ApprovalHarness.Tenant, runId);
        Assert.Equal([("hitl.pause", "https://reviewers.example/hook"), ("hitl.escalated", "https://oncall.example/hooks/meshflow")],
            messages.Select(m => (m.Type, m.Url)));
        Assert.Contains($"\"approve_url\":\"https://meshflow.test/hitl/{runId}/approve?pause={paused.PauseSeq}\"", messages[1].Body, StringComparison.Ordinal);

        harness.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await harness.Watcher.ResolveExpiredAsync(TestContext.Current.CancellationToken));
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await harness.Watcher.ResolveExpiredAsync(TestContext.Current.CancellationToken));

        Assert.Equal(ApprovalState.Rejected, (await harness.Approvals.ReadPauseAsync(ApprovalHarness.Tenant, runId))!.State);
        await harness.ProcessNextAsync();
        Assert.Equal("blocked", (await harness.Store.ReadRunAsync(ApprovalHarness.Tenant, runId))!.Status);
        Assert.True((await harness.Ledger.VerifyAsync(ApprovalHarness.Tenant, runId)).Valid);
        Assert.Contains(await harness.Approvals.ListWebhooksAsync(ApprovalHarness.Tenant, runId), m => m.Type == "hitl.resolved");
    }

    [Fact]
    public async Task Only_the_lease_holder_acts_and_another_watcher_takes_over_when_it_stops_renewing()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        var second = new ApprovalTimeoutWatcher(harness.Desk, "watcher-2");
        var runId = await harness.SubmitAsync(WithHitl("{ timeout_seconds: 10 }"));
        await harness.ProcessNextAsync();
        Assert.Equal(0, await harness.Watcher.ResolveExpiredAsync(TestContext.Current.CancellationToken));

        harness.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await second.ResolveExpiredAsync(TestContext.Current.CancellationToken));
        Assert.Equal(ApprovalState.Pending, (await harness.Approvals.ReadPauseAsync(ApprovalHarness.Tenant, runId))!.State);

        // The first watcher stopped renewing: once its lease lapses the second one takes it, and holds it.
        harness.Time.Advance(harness.Watcher.LeaseDuration - TimeSpan.FromSeconds(10));
        Assert.Equal(1, await second.ResolveExpiredAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await harness.Watcher.ResolveExpiredAsync(TestContext.Current.CancellationToken));
        Assert.Equal(ApprovalDesk.TimeoutReviewer, (await harness.Approvals.ReadPauseAsync(ApprovalHarness.Tenant, runId))!.ReviewerId);
    }

    [Fact]
    public async Task Approve_reject_and_the_timeout_racing_on_one_pause_resolve_it_exactly_once()
    {
        await using var harness = await ApprovalHarness.OpenAsync();
        for (var round = 0; round < 15; round++)
        {
            var runId = await harness.SubmitAsync(WithHitl("{ timeout_seconds: 60 }"), input: $"round {round}");
            await harness.ProcessNextAsync();
            harness.Time.Advance(TimeSpan.FromSeconds(60));

            var racers = new Task<ApprovalOutcome>[]
            {
                Task.Run(() => harness.DecideAsync(runId, ApprovalState.Approved, reviewer: "approver")),
                Task.Run(() => harness.DecideAsync(runId, ApprovalState.Rejected, reviewer: "rejecter")),
                Task.Run(async () => await harness.Watcher.ResolveExpiredAsync() == 1
                    ? new ApprovalOutcome(ApprovalOutcomeKind.Decided)
                    : new ApprovalOutcome(ApprovalOutcomeKind.AlreadyDecided)),
            };
            var outcomes = await Task.WhenAll(racers);

            Assert.Equal(1, outcomes.Count(o => o.Kind == ApprovalOutcomeKind.Decided));
            var records = await harness.RecordsAsync(runId);
            Assert.Single(records, r => r.Kind == LedgerRecordKinds.HitlDecision);
            Assert.True((await harness.Ledger.VerifyAsync(ApprovalHarness.Tenant, runId)).Valid);
            var winner = (await harness.Approvals.ReadPauseAsync(ApprovalHarness.Tenant, runId))!;
            foreach (var loser in outcomes.Where(o => o.Kind == ApprovalOutcomeKind.AlreadyDecided && o.Pause is not null))
            {
                Assert.Equal((winner.State, winner.ReviewerId), (loser.Pause!.State, loser.Pause.ReviewerId));
            }

            await harness.ProcessNextAsync();
        }
    }
}
