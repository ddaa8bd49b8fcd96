using MeshFlow.Approvals;
using MeshFlow.Ledger;

namespace MeshFlow.Tests.Ledger.Contract;

public abstract partial class ApprovalStoreContractTests<TStore>
{
    [Fact]
    public async Task A_decision_wins_once_and_a_later_one_is_answered_the_first_and_writes_nothing()
    {
        var tenant = NewTenant();
        var (pauseRecord, pause) = await PauseNewRunAsync(tenant);
        var run = pause.RunId;
        var record = Next(pauseRecord, LedgerRecordKinds.HitlDecision, """{"decision":"approved"}""");
        var resolved = Message(record, "hitl.resolved");

        var first = await Store.ResolveAsync(record, Decision(pause), [resolved], Token);

        var expected = pause with
        {
            State = ApprovalState.Approved,
            ReviewerId = "alice",
            Notes = "alice says approved",
            DecidedAt = At.AddMinutes(5),
            DecisionSeq = record.Seq,
        };
        Assert.Equal((expected, true), first);
        Assert.Equal(expected, await Store.ReadPauseAsync(tenant, run, Token));
        Assert.Empty(await Store.ListPendingAsync(tenant, 10, Token));
        Assert.Equal(("queued", record.Seq), await StatusAsync(tenant, run));
        await AssertChainVerifiesAsync(tenant, run);

        var late = Next(record, LedgerRecordKinds.HitlDecision, """{"decision":"rejected"}""");
        var second = await Store.ResolveAsync(late, Decision(pause, ApprovalState.Rejected, "bob"), [Message(late, "hitl.resolved")], Token);

        Assert.Equal((expected, false), second);
        Assert.Equal(record, (await Store.ReadRecordsAsync(tenant, run, Token))[^1]);
        Assert.Equal([resolved], await Store.ListWebhooksAsync(tenant, run, Token));
    }

    [Fact]
    public async Task Of_twenty_concurrent_decisions_exactly_one_wins_and_records_its_decision()
    {
        var tenant = NewTenant();
        var (pauseRecord, pause) = await PauseNewRunAsync(tenant);
        var run = pause.RunId;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 20).Select(i =>
        {
            var state = i % 2 == 0 ? ApprovalState.Approved : ApprovalState.Rejected;
            var record = Next(pauseRecord, LedgerRecordKinds.HitlDecision, $$"""{"decision":"{{state}}","reviewer":"r{{i}}"}""");
            return Task.Run(async () =>
            {
                await go.Task;
                return (Record: record, Result: await Store.ResolveAsync(record, Decision(pause, state, $"r{i}"), [Message(record, "hitl.resolved")], Token));
            }, Token);
        }).ToArray();
        go.SetResult();
        var results = await Task.WhenAll(racers).WaitAsync(Timeout, Token);

        var winner = Assert.Single(results, r => r.Result!.Value.Won);
        Assert.All(results, r => Assert.Equal(winner.Result!.Value.Pause, r.Result!.Value.Pause));
        var records = await Store.ReadRecordsAsync(tenant, run, Token);
        Assert.Equal(winner.Record, Assert.Single(records, r => r.Kind == LedgerRecordKinds.HitlDecision));
        Assert.Equal(winner.Result!.Value.Pause, await Store.ReadPauseAsync(tenant, run, Token));
        Assert.Equal(winner.Record.Seq, winner.Result.Value.Pause.DecisionSeq);
        Assert.Single(await Store.ListWebhooksAsync(tenant, run, Token));
        Assert.Equal(("queued", winner.Record.Seq), await StatusAsync(tenant, run));
        await AssertChainVerifiesAsync(tenant, run);
    }

    [Fact]
    public async Task Resolving_a_pause_the_tenant_does_not_have_returns_null()
    {
        var tenant = NewTenant();
        var (record, pause) = await PauseNewRunAsync(tenant);
        var decision = Next(record, LedgerRecordKinds.HitlDecision);

        Assert.Null(await Store.ResolveAsync(decision, Decision(pause) with { PauseSeq = record.Seq - 1 }, [], Token));

        var other = NewTenant();
        var otherRecord = decision with { TenantId = other };
        Assert.Null(await Store.ResolveAsync(otherRecord, Decision(pause) with { TenantId = other }, [], Token));

        Assert.Equal(record, await Store.ReadLastRecordAsync(tenant, record.RunId, Token));
        Assert.Equal(pause, await Store.ReadPauseAsync(tenant, record.RunId, Token));
    }

    [Fact]
    public async Task A_decision_whose_sequence_number_is_taken_throws_leaves_the_pause_pending_and_succeeds_on_the_new_tail()
    {
        var tenant = NewTenant();
        var (record, pause) = await PauseNewRunAsync(tenant);
        var stale = Next(record, LedgerRecordKinds.HitlDecision);
        var taken = await StepAsync(tenant, pause.RunId, "auditor");

        await Assert.ThrowsAsync<LedgerConflictException>(() => Store.ResolveAsync(stale, Decision(pause), [Message(stale, "hitl.resolved")], Token));

        Assert.Equal(pause, await Store.ReadPauseAsync(tenant, pause.RunId, Token));
        Assert.Equal(taken, await Store.ReadLastRecordAsync(tenant, pause.RunId, Token));
        Assert.Empty(await Store.ListWebhooksAsync(tenant, pause.RunId, Token));
        Assert.Equal("paused", (await StatusAsync(tenant, pause.RunId)).Status);

        var retry = Next(taken, LedgerRecordKinds.HitlDecision);
        Assert.True((await Store.ResolveAsync(retry, Decision(pause), [], Token))!.Value.Won);
        await AssertChainVerifiesAsync(tenant, pause.RunId);
    }

    [Fact]
    public async Task An_escalation_extends_a_pending_deadline_once_and_never_after_a_decision()
    {
        var tenant = NewTenant();
        var (record, pause) = await PauseNewRunAsync(tenant);
        var escalation = Next(record, LedgerRecordKinds.HitlEscalated, """{"escalate_to":"https://hooks.example.com/managers"}""");
        var notice = Message(escalation, "hitl.escalated");

        Assert.True(await Store.EscalateAsync(escalation, pause.PauseSeq, At.AddHours(2), [notice], Token));

        var escalated = pause with { Escalated = true, ExpiresAt = At.AddHours(2) };
        Assert.Equal(escalated, await Store.ReadPauseAsync(tenant, pause.RunId, Token));
        Assert.Equal(("paused", escalation.Seq), await StatusAsync(tenant, pause.RunId));
        Assert.Equal([notice], await Store.ListWebhooksAsync(tenant, pause.RunId, Token));

        var again = Next(escalation, LedgerRecordKinds.HitlEscalated);
        Assert.False(await Store.EscalateAsync(again, pause.PauseSeq, At.AddHours(3), [Message(again, "hitl.escalated")], Token));
        Assert.Equal(escalated, await Store.ReadPauseAsync(tenant, pause.RunId, Token));
        Assert.Equal(escalation, await Store.ReadLastRecordAsync(tenant, pause.RunId, Token));
        Assert.Equal([notice], await Store.ListWebhooksAsync(tenant, pause.RunId, Token));

        // A pending pause that was never escalated, once decided, cannot be.
        var (otherRecord, otherPause) = await PauseNewRunAsync(tenant);
        var decision = Next(otherRecord, LedgerRecordKinds.HitlDecision);
        await Store.ResolveAsync(decision, Decision(otherPause, ApprovalState.Rejected), [], Token);
        Assert.False(await Store.EscalateAsync(Next(decision, LedgerRecordKinds.HitlEscalated), otherPause.PauseSeq, At.AddHours(2), [], Token));
        Assert.Equal(decision, await Store.ReadLastRecordAsync(tenant, otherPause.RunId, Token));
        await AssertChainVerifiesAsync(tenant, pause.RunId);
    }

    [Fact]
    public async Task Expired_pauses_are_the_pending_ones_at_or_past_their_deadline_of_every_tenant_oldest_deadline_first()
    {
        var (first, second) = (NewTenant(), NewTenant());
        var (_, atDeadline) = await PauseNewRunAsync(first, expiresAt: At.AddMinutes(10));
        var (_, past) = await PauseNewRunAsync(second, expiresAt: At.AddMinutes(5));
        var (_, future) = await PauseNewRunAsync(first, expiresAt: At.AddMinutes(10).AddMilliseconds(1));
        var (decidedRecord, decided) = await PauseNewRunAsync(second, expiresAt: At.AddMinutes(1));
        await Store.ResolveAsync(Next(decidedRecord, LedgerRecordKinds.HitlDecision), Decision(decided), [], Token);
        string[] ours = [atDeadline.RunId, past.RunId, future.RunId, decided.RunId];

        var expired = await Store.ListExpiredAsync(At.AddMinutes(10), 100, Token);

        Assert.Equal([past, atDeadline], expired.Where(p => ours.Contains(p.RunId)));
        Assert.Equal([past], await Store.ListExpiredAsync(At.AddMinutes(10), 1, Token));
    }

    private async Task<(string Status, long LastSeq)> StatusAsync(string tenant, string run)
    {
        var summary = await Store.ReadRunAsync(tenant, run, Token);
        return (summary!.Status, summary.LastSeq);
    }
}
