using System.Buffers.Text;
using System.Text;
using MeshFlow.Ledger;

namespace MeshFlow.Tests.Ledger.Contract;

// The run summaries: their status as records are appended, and listing a tenant's runs.
public abstract partial class LedgerStoreContractTests
{
    [Fact]
    public async Task A_run_is_queued_at_run_start_running_after_a_step_and_ends_with_its_final_status()
    {
        var tenant = NewTenant();
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(tenant, run, "contract-review");
        await Store.AppendAsync(start, null, Token);
        var queued = await Store.ReadRunAsync(tenant, run, Token);
        Assert.Equal(new LedgerRunSummary(tenant, run, "contract-review", "queued", 1, start.Timestamp, start.Timestamp), queued);

        var step = LedgerRecordFactory.Step(tenant, run, start);
        await Store.AppendAsync(step, null, Token);
        Assert.Equal(queued! with { Status = "running", LastSeq = 2, UpdatedAt = step.Timestamp, Totals = LedgerRunTotals.From([step]) },
            await Store.ReadRunAsync(tenant, run, Token));

        var second = LedgerRecordFactory.Step(tenant, run, step);
        await Store.AppendAsync(second, null, Token);
        Assert.Equal(queued with { Status = "running", LastSeq = 3, UpdatedAt = second.Timestamp, Totals = LedgerRunTotals.From([step, second]) },
            await Store.ReadRunAsync(tenant, run, Token));

        var end = LedgerRecordFactory.RunEnd(second, "failed");
        await Store.AppendAsync(end, null, Token);
        var ended = await Store.ReadRunAsync(tenant, run, Token);
        Assert.Equal(new LedgerRunSummary(tenant, run, "contract-review", "failed", 4, start.Timestamp, end.Timestamp)
            { Totals = LedgerRunTotals.From([start, step, second, end]) }, ended);
        Assert.Equal(TimeSpan.Zero, ended!.CreatedAt.Offset);

        // A record after the end moves the run on but leaves its final status alone.
        var late = LedgerRecordFactory.Step(tenant, run, end);
        await Store.AppendAsync(late, null, Token);
        var after = await Store.ReadRunAsync(tenant, run, Token);
        Assert.Equal(ended with { LastSeq = 5, UpdatedAt = late.Timestamp, Totals = ended.Totals with { Steps = 3 } }, after);
        Assert.Equal(after, Assert.Single((await Store.ListRunsAsync(tenant, new LedgerRunQuery(), Token)).Runs));
    }

    [Fact]
    public async Task Unfinished_runs_of_every_tenant_are_listed_for_recovery_oldest_first_and_ended_or_recent_ones_are_not()
    {
        var (acme, globex) = (NewTenant(), NewTenant());
        var queued = LedgerRecordFactory.RunStart(acme, NewRun(), "w");
        var runningStart = LedgerRecordFactory.RunStart(globex, NewRun(), "w");
        var running = LedgerRecordFactory.Step(globex, runningStart.RunId, runningStart);
        var endedStart = LedgerRecordFactory.RunStart(acme, NewRun(), "w");
        var ended = LedgerRecordFactory.RunEnd(endedStart, "completed");
        foreach (var record in new[] { queued, runningStart, running, endedStart, ended })
        {
            await Store.AppendAsync(record, null, Token);
        }

        var mine = new HashSet<string> { acme, globex };
        var after = new[] { queued.Timestamp, running.Timestamp, ended.Timestamp }.Max().AddMilliseconds(1);
        var unfinished = (await Store.ListUnfinishedRunsAsync(after, 100, Token)).Where(r => mine.Contains(r.TenantId)).ToList();

        Assert.Equal([(acme, queued.RunId, "queued"), (globex, running.RunId, "running")],
            unfinished.OrderBy(r => r.UpdatedAt).ThenBy(r => r.TenantId, StringComparer.Ordinal).Select(r => (r.TenantId, r.RunId, r.Status)));
        Assert.Equal(unfinished.OrderBy(r => r.UpdatedAt), unfinished);
        var before = new[] { queued.Timestamp, running.Timestamp }.Min();
        Assert.DoesNotContain(await Store.ListUnfinishedRunsAsync(before, 100, Token), r => mine.Contains(r.TenantId));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListUnfinishedRunsAsync(after, 0, Token));
    }

    [Fact]
    public async Task A_run_first_seen_through_a_step_is_running_and_its_late_run_start_does_not_queue_it_again()
    {
        var tenant = NewTenant();
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(tenant, run, "late-start");
        var step = LedgerRecordFactory.Step(tenant, run, start);

        await Store.AppendAsync(step, null, Token);
        Assert.Equal(new LedgerRunSummary(tenant, run, string.Empty, "running", 2, step.Timestamp, step.Timestamp) { Totals = LedgerRunTotals.From([step]) },
            await Store.ReadRunAsync(tenant, run, Token));

        await Store.AppendAsync(start, null, Token);
        Assert.Equal(new LedgerRunSummary(tenant, run, "late-start", "running", 2, start.Timestamp, step.Timestamp) { Totals = LedgerRunTotals.From([step]) },
            await Store.ReadRunAsync(tenant, run, Token));
    }

    [Fact]
    public async Task Paging_through_runs_yields_each_exactly_once_newest_first_even_when_they_share_a_creation_time()
    {
        var tenant = NewTenant();

        // 25 runs over five creation times: five runs share each one, and the cursor must order them by run id.
        var starts = Enumerable.Range(0, 25)
            .Select(i => LedgerRecordFactory.RunStart(tenant, NewRun(), createdAt: LedgerRecordFactory.Epoch.AddSeconds(i % 5)))
            .ToList();
        foreach (var start in starts)
        {
            await Store.AppendAsync(start, null, Token);
        }

        var pages = await ListAllAsync(tenant, new LedgerRunQuery { Limit = 10 });

        Assert.Equal([10, 10, 5], pages.Select(p => p.Runs.Count));
        Assert.Equal(NewestFirst(starts), pages.SelectMany(p => p.Runs).Select(r => r.RunId));
        Assert.All(pages.SkipLast(1), page => Assert.NotNull(page.NextCursor));
        Assert.Null(pages[^1].NextCursor);
        Assert.All(pages.SelectMany(p => p.Runs), run => Assert.Equal((tenant, "queued"), (run.TenantId, run.Status)));
    }

    [Fact]
    public async Task A_page_that_ends_at_the_last_run_has_no_next_cursor()
    {
        var tenant = NewTenant();
        var starts = Enumerable.Range(0, 6).Select(_ => LedgerRecordFactory.RunStart(tenant, NewRun())).ToList();
        foreach (var start in starts)
        {
            await Store.AppendAsync(start, null, Token);
        }

        var whole = await Store.ListRunsAsync(tenant, new LedgerRunQuery { Limit = 6 }, Token);
        Assert.Equal(NewestFirst(starts), whole.Runs.Select(r => r.RunId));
        Assert.Null(whole.NextCursor);

        var pages = await ListAllAsync(tenant, new LedgerRunQuery { Limit = 3 });
        Assert.Equal([3, 3], pages.Select(p => p.Runs.Count));
        Assert.Null(pages[^1].NextCursor);

        var empty = await Store.ListRunsAsync(NewTenant(), new LedgerRunQuery(), Token);
        Assert.Empty(empty.Runs);
        Assert.Null(empty.NextCursor);
    }

    [Fact]
    public async Task Runs_created_in_the_same_millisecond_are_ordered_by_the_bytes_of_their_run_ids()
    {
        var tenant = NewTenant();
        string[] ids = ["run-a", "run-B", "run-b", "run-10", "run-9", "run-é", "run-z", "run-Z", "run-_", "run-条"];
        var starts = ids.Select(id => LedgerRecordFactory.RunStart(tenant, id)).ToList();
        foreach (var start in starts)
        {
            await Store.AppendAsync(start, null, Token);
        }

        var pages = await ListAllAsync(tenant, new LedgerRunQuery { Limit = 3 });

        // Ordinal UTF-16 order is UTF-8 byte order for these (no surrogate pairs).
        Assert.Equal(ids.Order(StringComparer.Ordinal).Reverse(), pages.SelectMany(p => p.Runs).Select(r => r.RunId));
    }

    [Fact]
    public async Task Runs_are_filtered_by_exact_status_and_workflow()
    {
        var tenant = NewTenant();
        var at = LedgerRecordFactory.Epoch;
        var queued = LedgerRecordFactory.RunStart(tenant, "run-queued", "review", at);
        var running = LedgerRecordFactory.RunStart(tenant, "run-running", "review", at.AddSeconds(1));
        var completed = LedgerRecordFactory.RunStart(tenant, "run-completed", "triage", at.AddSeconds(2));
        var failed = LedgerRecordFactory.RunStart(tenant, "run-failed", "review", at.AddSeconds(3));
        var completedStep = LedgerRecordFactory.Step(tenant, completed.RunId, completed);
        foreach (var record in new[]
        {
            queued, running, LedgerRecordFactory.Step(tenant, running.RunId, running),
            completed, completedStep, LedgerRecordFactory.RunEnd(completedStep, "completed"),
            failed, LedgerRecordFactory.RunEnd(failed, "failed"),
        })
        {
            await Store.AppendAsync(record, null, Token);
        }

        Assert.Equal(["run-queued"], await RunIdsAsync(tenant, new LedgerRunQuery { Status = "queued" }));
        Assert.Equal(["run-running"], await RunIdsAsync(tenant, new LedgerRunQuery { Status = "running" }));
        Assert.Equal(["run-completed"], await RunIdsAsync(tenant, new LedgerRunQuery { Status = "completed" }));
        Assert.Equal(["run-failed", "run-running", "run-queued"], await RunIdsAsync(tenant, new LedgerRunQuery { Workflow = "review" }));
        Assert.Equal(["run-failed"], await RunIdsAsync(tenant, new LedgerRunQuery { Status = "failed", Workflow = "review" }));
        Assert.Empty(await RunIdsAsync(tenant, new LedgerRunQuery { Status = "failed", Workflow = "triage" }));
        Assert.Empty(await RunIdsAsync(tenant, new LedgerRunQuery { Status = "Queued" }));
        Assert.Empty(await RunIdsAsync(tenant, new LedgerRunQuery { Workflow = "rev" }));
        Assert.Empty(await RunIdsAsync(tenant, new LedgerRunQuery { Status = "queued\0", Workflow = "\0" }));

        // Filtered pages page like unfiltered ones.
        var pages = await ListAllAsync(tenant, new LedgerRunQuery { Workflow = "review", Limit = 1 });
        Assert.Equal(["run-failed", "run-running", "run-queued"], pages.SelectMany(p => p.Runs).Select(r => r.RunId));
        Assert.Null(pages[^1].NextCursor);
    }

    [Fact]
    public async Task The_creation_window_includes_its_start_and_excludes_its_end()
    {
        var tenant = NewTenant();
        var at = LedgerRecordFactory.Epoch;
        var starts = Enumerable.Range(0, 4).Select(i => LedgerRecordFactory.RunStart(tenant, $"run-{i}", createdAt: at.AddSeconds(i))).ToList();
        foreach (var start in starts)
        {
            await Store.AppendAsync(start, null, Token);
        }

        Assert.Equal(["run-2", "run-1"],
            await RunIdsAsync(tenant, new LedgerRunQuery { CreatedAfter = at.AddSeconds(1), CreatedBefore = at.AddSeconds(3) }));
        Assert.Equal(["run-3", "run-2", "run-1"], await RunIdsAsync(tenant, new LedgerRunQuery { CreatedAfter = at.AddSeconds(1) }));
        Assert.Equal(["run-0"], await RunIdsAsync(tenant, new LedgerRunQuery { CreatedBefore = at.AddSeconds(1) }));
        Assert.Empty(await RunIdsAsync(tenant, new LedgerRunQuery { CreatedAfter = at.AddSeconds(2), CreatedBefore = at.AddSeconds(2) }));

        // Stored times are whole milliseconds: a bound between two milliseconds falls between them.
        var halfAMillisecond = TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 2);
        Assert.Equal(["run-3", "run-2"], await RunIdsAsync(tenant, new LedgerRunQuery { CreatedAfter = at.AddSeconds(1) + halfAMillisecond }));
        Assert.Equal(["run-1", "run-0"], await RunIdsAsync(tenant, new LedgerRunQuery { CreatedBefore = at.AddSeconds(1) + halfAMillisecond }));

        // Offsets do not matter, only instants.
        Assert.Equal(["run-2", "run-1"], await RunIdsAsync(tenant, new LedgerRunQuery
        {
            CreatedAfter = at.AddSeconds(1).ToOffset(TimeSpan.FromHours(9)),
            CreatedBefore = at.AddSeconds(3).ToOffset(TimeSpan.FromHours(-5)),
        }));
    }

    [Fact]
    public async Task Listing_never_shows_another_tenants_runs()
    {
        var (mine, theirs) = (NewTenant(), NewTenant());
        var shared = NewRun();
        var myStarts = new[] { LedgerRecordFactory.RunStart(mine, shared), LedgerRecordFactory.RunStart(mine, NewRun()) };
        var theirStarts = Enumerable.Range(0, 4).Select(i => LedgerRecordFactory.RunStart(theirs, i == 0 ? shared : NewRun())).ToList();
        foreach (var start in theirStarts.Concat(myStarts))
        {
            await Store.AppendAsync(start, null, Token);
        }

        var page = await Store.ListRunsAsync(mine, new LedgerRunQuery { Limit = LedgerRunQuery.MaxLimit }, Token);
        Assert.Equal(NewestFirst(myStarts), page.Runs.Select(r => r.RunId));
        Assert.All(page.Runs, run => Assert.Equal(mine, run.TenantId));
        Assert.Equal(NewestFirst(theirStarts), await RunIdsAsync(theirs, new LedgerRunQuery()));

        // A cursor is a position, never a way into another tenant's runs.
        var theirFirst = await Store.ListRunsAsync(theirs, new LedgerRunQuery { Limit = 1 }, Token);
        var mineFromTheirCursor = await Store.ListRunsAsync(mine, new LedgerRunQuery { Cursor = theirFirst.NextCursor }, Token);
        Assert.All(mineFromTheirCursor.Runs, run => Assert.Equal(mine, run.TenantId));
        Assert.Subset(myStarts.Select(s => s.RunId).ToHashSet(), mineFromTheirCursor.Runs.Select(r => r.RunId).ToHashSet());
    }

    [Fact]
    public async Task A_malformed_cursor_is_a_format_error()
    {
        var tenant = NewTenant();
        await Store.AppendAsync(LedgerRecordFactory.RunStart(tenant, NewRun()), null, Token);
        var valid = LedgerRunCursor.Encode(new LedgerRunSummary(tenant, "run-x", "review", "queued", 1, LedgerRecordFactory.Epoch, LedgerRecordFactory.Epoch));

        string[] malformed =
        [
            "",
            "not a cursor!",
            "%%%",
            valid[..^3] + "*",
            Encoded("hello"),
            Encoded("1:yesterday:run-x"),
            Encoded("1:1773500966535:"),
            Encoded("1:1773500966535"),
            Encoded("9:1773500966535:run-x"),
        ];
        foreach (var cursor in malformed)
        {
            var error = await Assert.ThrowsAsync<FormatException>(() => Store.ListRunsAsync(tenant, new LedgerRunQuery { Cursor = cursor }, Token));
            Assert.Contains("cursor", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty((await Store.ListRunsAsync(tenant, new LedgerRunQuery { Cursor = valid }, Token)).Runs);

        static string Encoded(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public async Task A_limit_outside_1_to_500_is_out_of_range()
    {
        var tenant = NewTenant();
        var starts = Enumerable.Range(0, 2).Select(_ => LedgerRecordFactory.RunStart(tenant, NewRun())).ToList();
        foreach (var start in starts)
        {
            await Store.AppendAsync(start, null, Token);
        }

        foreach (var limit in new[] { 0, -1, LedgerRunQuery.MaxLimit + 1, int.MaxValue, int.MinValue })
        {
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListRunsAsync(tenant, new LedgerRunQuery { Limit = limit }, Token));
        }

        Assert.Single((await Store.ListRunsAsync(tenant, new LedgerRunQuery { Limit = 1 }, Token)).Runs);
        Assert.Equal(2, (await Store.ListRunsAsync(tenant, new LedgerRunQuery { Limit = LedgerRunQuery.MaxLimit }, Token)).Runs.Count);
        Assert.Equal(50, new LedgerRunQuery().Limit);
    }

    // The run ids as a listing must order them: creation time descending, then run id descending.
    private static List<string> NewestFirst(IEnumerable<LedgerRecord> starts) =>
        [.. starts.OrderByDescending(s => s.Timestamp).ThenByDescending(s => s.RunId, StringComparer.Ordinal).Select(s => s.RunId)];

    private async Task<List<string>> RunIdsAsync(string tenantId, LedgerRunQuery query) =>
        [.. (await Store.ListRunsAsync(tenantId, query, Token)).Runs.Select(r => r.RunId)];

    // Every page from the first, following NextCursor; stops (and fails) if the pages never end.
    private async Task<List<LedgerRunPage>> ListAllAsync(string tenantId, LedgerRunQuery query)
    {
        var pages = new List<LedgerRunPage>();
        string? cursor = null;
        do
        {
            Assert.True(pages.Count < 100, "the pages never end");
            var page = await Store.ListRunsAsync(tenantId, query with { Cursor = cursor }, Token);
            Assert.InRange(page.Runs.Count, 0, query.Limit);
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return pages;
    }
}
