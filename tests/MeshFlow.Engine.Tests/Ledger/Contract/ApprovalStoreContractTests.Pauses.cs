using System.Text;
using MeshFlow.Approvals;
using MeshFlow.Ledger;

namespace MeshFlow.Tests.Ledger.Contract;

public abstract partial class ApprovalStoreContractTests<TStore>
{
    [Fact]
    public async Task Erasing_a_run_erases_what_its_pauses_copied_and_stops_their_unsent_notifications()
    {
        var tenant = NewTenant();
        var (kept, _) = await PauseNewRunAsync(tenant, notifications: Message(tenant, "x"));
        var (erased, _) = await PauseNewRunAsync(tenant, notifications: Message(tenant, "x"));
        await Store.ResolveAsync(Next(erased, LedgerRecordKinds.HitlDecision),
            Decision((await Store.ReadPauseAsync(tenant, erased.RunId, Token))!) with { Notes = "patient Jane Roe, MRN 12345" }, [], Token);

        await Ledger.EraseAsync(tenant, erased.RunId, null, "erasure request", Token);
        await Ledger.EraseAsync(tenant, kept.RunId, [1], "erasure of the run_start only", Token);

        var scrubbed = (await Store.ReadPauseAsync(tenant, erased.RunId, Token))!;
        Assert.Equal(("""{"redacted":true}""", "redacted", "redacted"), (scrubbed.Context, scrubbed.Reason, scrubbed.Notes));
        var message = Assert.Single(await Store.ListWebhooksAsync(tenant, erased.RunId, Token));
        Assert.Equal(("""{"redacted":true}""", WebhookMessageState.Failed), (message.Body, message.State));
        Assert.Equal(PauseFor(kept).Context, (await Store.ReadPauseAsync(tenant, kept.RunId, Token))!.Context);
        Assert.Equal(WebhookMessageState.Pending, Assert.Single(await Store.ListWebhooksAsync(tenant, kept.RunId, Token)).State);
        await AssertChainVerifiesAsync(tenant, erased.RunId);
    }

    [Fact]
    public async Task The_event_number_kept_with_a_pause_only_rises_and_is_the_tenants_own()
    {
        var tenant = NewTenant();
        var (record, _) = await PauseNewRunAsync(tenant);
        Assert.Equal(0, await Store.ReadEventSeqAsync(tenant, record.RunId, Token));

        await Store.RecordEventSeqAsync(tenant, record.RunId, 42, Token);
        await Store.RecordEventSeqAsync(tenant, record.RunId, 17, Token);
        await Store.RecordEventSeqAsync("someone-else", record.RunId, 99, Token);

        Assert.Equal(42, await Store.ReadEventSeqAsync(tenant, record.RunId, Token));
        Assert.Equal(0, await Store.ReadEventSeqAsync("someone-else", record.RunId, Token));
        Assert.Equal(0, await Store.ReadEventSeqAsync(tenant, NewRun(), Token));
    }

    [Fact]
    public async Task The_pending_count_spans_every_tenant_and_drops_when_a_pause_is_decided()
    {
        Assert.Equal(0, await Store.CountPendingAsync(Token));
        var (first, _) = await PauseNewRunAsync(NewTenant());
        var (second, _) = await PauseNewRunAsync(NewTenant());
        Assert.Equal(2, await Store.CountPendingAsync(Token));

        await Store.ResolveAsync(Next(first, LedgerRecordKinds.HitlDecision),
            Decision((await Store.ReadPauseAsync(first.TenantId, first.RunId, Token))!), [], Token);

        Assert.Equal(1, await Store.CountPendingAsync(Token));
        Assert.Equal(second.RunId, Assert.Single(await Store.ListPendingAsync(second.TenantId, 10, Token)).RunId);
    }

    [Fact]
    public async Task A_pause_appends_its_record_stores_the_pause_and_its_messages_and_pauses_the_run()
    {
        var tenant = NewTenant();
        var run = NewRun();
        var tail = await StartAsync(tenant, run);
        var record = Next(tail, LedgerRecordKinds.HitlPause);
        var pause = PauseFor(record);
        WebhookMessage[] messages = [Message(record), Message(record, "hitl.pause.copy", At.AddSeconds(1)) with { CreatedAt = At.AddMilliseconds(1) }];

        await Store.PauseAsync(record, pause, messages, Token);

        Assert.Equal(record, (await Store.ReadRecordsAsync(tenant, run, Token))[^1]);
        var summary = await Store.ReadRunAsync(tenant, run, Token);
        Assert.Equal(("paused", record.Seq, record.Timestamp), (summary!.Status, summary.LastSeq, summary.UpdatedAt));
        Assert.Equal(pause, await Store.ReadPauseAsync(tenant, run, Token));
        Assert.Equal([pause], await Store.ListPendingAsync(tenant, 10, Token));
        Assert.Equal(messages, await Store.ListWebhooksAsync(tenant, run, Token));
        await AssertChainVerifiesAsync(tenant, run);

        // Another tenant sees none of it, even with the same run id.
        var other = NewTenant();
        Assert.Null(await Store.ReadPauseAsync(other, run, Token));
        Assert.Empty(await Store.ListPendingAsync(other, 10, Token));
        Assert.Empty(await Store.ListWebhooksAsync(other, run, Token));
    }

    [Fact]
    public async Task A_pause_whose_sequence_number_is_taken_throws_and_writes_nothing()
    {
        var tenant = NewTenant();
        var run = NewRun();
        var tail = await StartAsync(tenant, run);
        var record = Next(tail, LedgerRecordKinds.HitlPause);
        var taken = await StepAsync(tenant, run, "reviewer");
        Assert.Equal(record.Seq, taken.Seq);

        var conflict = await Assert.ThrowsAsync<LedgerConflictException>(() =>
            Store.PauseAsync(record, PauseFor(record), [Message(record)], Token));

        Assert.Equal(record.Seq, conflict.Seq);
        Assert.Equal(taken, (await Store.ReadRecordsAsync(tenant, run, Token))[^1]);
        Assert.Null(await Store.ReadPauseAsync(tenant, run, Token));
        Assert.Empty(await Store.ListPendingAsync(tenant, 10, Token));
        Assert.Empty(await Store.ListWebhooksAsync(tenant, run, Token));
        Assert.Equal("running", (await Store.ReadRunAsync(tenant, run, Token))!.Status);
    }

    [Fact]
    public async Task Repeating_a_committed_pause_with_its_identical_record_writes_nothing_more()
    {
        var tenant = NewTenant();
        var first = Message(tenant, "placeholder");
        var (record, pause) = await PauseNewRunAsync(tenant, notifications: first);

        await Store.PauseAsync(record, pause, [Message(record)], Token);

        Assert.Equal(record, (await Store.ReadRecordsAsync(tenant, record.RunId, Token))[^1]);
        Assert.Equal([pause], await Store.ListPendingAsync(tenant, 10, Token));
        Assert.Equal([first.Id], (await Store.ListWebhooksAsync(tenant, record.RunId, Token)).Select(m => m.Id));

        // A pause record appended on its own made no pause: pausing on it is a conflict, not a retry.
        var bare = Next(await StartAsync(tenant, NewRun()), LedgerRecordKinds.HitlPause);
        await Store.AppendAsync(bare, null, Token);
        await Assert.ThrowsAsync<LedgerConflictException>(() => Store.PauseAsync(bare, PauseFor(bare), [Message(bare)], Token));
        Assert.Null(await Store.ReadPauseAsync(tenant, bare.RunId, Token));
        Assert.Empty(await Store.ListWebhooksAsync(tenant, bare.RunId, Token));
    }

    [Fact]
    public async Task A_large_pause_payload_reads_back_byte_identical()
    {
        var tenant = NewTenant();
        var run = NewRun();
        var tail = await StartAsync(tenant, run);
        var context = LongText(24 * 1024);
        var payload = $$"""{"context":{{LedgerRecordFactory.Quote(context)}},"reason":"publishing needs a human"}""";
        Assert.True(Encoding.UTF8.GetByteCount(payload) > ILedgerStore.CompressionThresholdBytes);
        var record = Next(tail, LedgerRecordKinds.HitlPause, payload);
        var pause = PauseFor(record) with { Context = context };

        await Store.PauseAsync(record, pause, [], Token);

        var stored = (await Store.ReadRecordsAsync(tenant, run, Token))[^1];
        Assert.Equal(Encoding.UTF8.GetBytes(payload), Encoding.UTF8.GetBytes(stored.Payload));
        Assert.Equal(record, stored);
        Assert.Equal(context, (await Store.ReadPauseAsync(tenant, run, Token))!.Context);
        await AssertChainVerifiesAsync(tenant, run);
    }

    [Fact]
    public async Task Pending_pauses_are_listed_oldest_first_up_to_the_limit_and_the_latest_pause_is_read()
    {
        var tenant = NewTenant();
        var (_, newest) = await PauseNewRunAsync(tenant, createdAt: At.AddMinutes(2));
        var (_, oldest) = await PauseNewRunAsync(tenant, createdAt: At);
        var (decidedRecord, decided) = await PauseNewRunAsync(tenant, createdAt: At.AddMinutes(1));
        await Store.ResolveAsync(Next(decidedRecord, LedgerRecordKinds.HitlDecision), Decision(decided), [], Token);

        Assert.Equal([oldest, newest], await Store.ListPendingAsync(tenant, 10, Token));
        Assert.Equal([oldest], await Store.ListPendingAsync(tenant, 1, Token));

        // A run paused a second time: the latest pause is the one read.
        var second = Next((await Store.ReadLastRecordAsync(tenant, decided.RunId, Token))!, LedgerRecordKinds.HitlPause);
        var again = PauseFor(second, At.AddMinutes(3));
        await Store.PauseAsync(second, again, [], Token);
        Assert.Equal(again, await Store.ReadPauseAsync(tenant, decided.RunId, Token));
    }

    [Fact]
    public async Task A_paused_run_is_never_listed_for_recovery_and_a_decided_one_is()
    {
        var tenant = NewTenant();
        var (record, pause) = await PauseNewRunAsync(tenant);
        var later = DateTimeOffset.UtcNow.AddDays(1);

        Assert.DoesNotContain(await Store.ListUnfinishedRunsAsync(later, 10_000, Token), r => r.TenantId == tenant);

        await Store.ResolveAsync(Next(record, LedgerRecordKinds.HitlDecision), Decision(pause), [], Token);

        var recovered = Assert.Single(await Store.ListUnfinishedRunsAsync(later, 10_000, Token), r => r.TenantId == tenant);
        Assert.Equal((record.RunId, "queued"), (recovered.RunId, recovered.Status));
    }

    /// <summary>A long text that compresses like real text, some of it not ASCII.</summary>
    protected static string LongText(int chars)
    {
        string[] words = ["the", "clause", "liability", "shall", "not", "exceed", "fees", "naïve", "über", "€", "条款", "🙂", "review"];
        var random = new Random(42);
        var text = new StringBuilder(chars + 16);
        while (text.Length < chars)
        {
            text.Append(words[random.Next(words.Length)]).Append(random.Next(10) == 0 ? ".\n" : " ");
        }

        return text.ToString();
    }
}
