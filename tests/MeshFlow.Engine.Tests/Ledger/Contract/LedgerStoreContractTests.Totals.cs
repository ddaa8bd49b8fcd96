using MeshFlow.Ledger;

namespace MeshFlow.Tests.Ledger.Contract;

// The run summary's running totals (steps, tokens, cost): kept by appends, and backfilled by migration 8.
public abstract partial class LedgerStoreContractTests
{
    /// <summary>
    /// Undoes migration 8's backfill (zeroes the totals and forgets the migration was applied), then migrates
    /// <see cref="Store"/> again, so the migration computes the totals from the stored records.
    /// </summary>
    protected abstract Task RerunTotalsMigrationAsync();

    [Fact]
    public async Task Run_totals_sum_the_steps_until_a_run_end_whose_own_totals_then_stand()
    {
        var tenant = NewTenant();
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(tenant, run);
        var step = LedgerRecordFactory.Step(tenant, run, start);
        var blocked = LedgerRecordFactory.Rehash(LedgerRecordFactory.Step(tenant, run, step) with
        {
            Verdict = "blocked", BlockReason = "budget", TokensInput = 0, TokensOutput = 0, CostUsd = 0m,
        });
        var third = LedgerRecordFactory.Rehash(LedgerRecordFactory.Step(tenant, run, blocked) with { CostUsd = 0.10m });
        var end = LedgerRecordFactory.Rehash(LedgerRecordFactory.RunEnd(third, "failed") with
        {
            TokensInput = 5_000, TokensOutput = 7_000, CostUsd = 1.50m,
        });
        var late = LedgerRecordFactory.Step(tenant, run, end);

        var appended = new List<LedgerRecord>();
        foreach (var record in new[] { start, step, blocked, third })
        {
            await Store.AppendAsync(record, null, Token);
            appended.Add(record);
            Assert.Equal(LedgerRunTotals.From(appended), (await Store.ReadRunAsync(tenant, run, Token))!.Totals);
        }

        Assert.Equal(new LedgerRunTotals(3, step.TokensInput + third.TokensInput, step.TokensOutput + third.TokensOutput, step.CostUsd + 0.10m),
            (await Store.ReadRunAsync(tenant, run, Token))!.Totals);

        // Re-appending a stored record changes nothing; a different record at a taken sequence number neither.
        Assert.Equal(AppendOutcome.AlreadyPresent, await Store.AppendAsync(third, null, Token));
        await Assert.ThrowsAsync<LedgerConflictException>(() => Store.AppendAsync(LedgerRecordFactory.Fork(third), null, Token));
        Assert.Equal(LedgerRunTotals.From(appended), (await Store.ReadRunAsync(tenant, run, Token))!.Totals);

        await Store.AppendAsync(end, null, Token);
        Assert.Equal(new LedgerRunTotals(3, 5_000, 7_000, 1.50m), (await Store.ReadRunAsync(tenant, run, Token))!.Totals);

        // A step recorded after the end is counted, but the run_end's tokens and cost stay the run's.
        await Store.AppendAsync(late, null, Token);
        var summary = (await Store.ReadRunAsync(tenant, run, Token))!;
        Assert.Equal(new LedgerRunTotals(4, 5_000, 7_000, 1.50m), summary.Totals);
        Assert.Equal(LedgerRunTotals.From(await Store.ReadRecordsAsync(tenant, run, Token)), summary.Totals);
        Assert.Equal(summary, Assert.Single((await Store.ListRunsAsync(tenant, new LedgerRunQuery(), Token)).Runs));
    }

    [Fact]
    public async Task Run_totals_are_exact_decimals_and_a_run_with_no_step_has_none()
    {
        var tenant = NewTenant();
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(tenant, run);
        await Store.AppendAsync(start, null, Token);
        Assert.Equal(LedgerRunTotals.None, (await Store.ReadRunAsync(tenant, run, Token))!.Totals);

        // Ten steps of 0.1 add up to exactly 1 (floating point would not).
        var previous = start;
        for (var i = 0; i < 10; i++)
        {
            previous = LedgerRecordFactory.Rehash(LedgerRecordFactory.Step(tenant, run, previous) with { CostUsd = 0.1m });
            await Store.AppendAsync(previous, null, Token);
        }

        Assert.Equal(1.0m, (await Store.ReadRunAsync(tenant, run, Token))!.Totals.CostUsd);
    }

    [Fact]
    public async Task Migration_8_backfills_the_same_totals_the_appends_kept()
    {
        var tenant = NewTenant();
        var chains = new List<List<LedgerRecord>>
        {
            LedgerRecordFactory.Chain(tenant, NewRun(), 1),
            LedgerRecordFactory.Chain(tenant, NewRun(), 4),
            LedgerRecordFactory.Chain(tenant, NewRun(), 6),
            LedgerRecordFactory.Chain(OtherTenant, NewRun(), 3),
        };
        chains[2].Add(LedgerRecordFactory.Rehash(LedgerRecordFactory.RunEnd(chains[2][^1]) with { TokensInput = 9, TokensOutput = 11, CostUsd = 2.25m }));
        chains[2].Add(LedgerRecordFactory.Step(tenant, chains[2][0].RunId, chains[2][^1]));
        var blocked = LedgerRecordFactory.Step(tenant, chains[1][0].RunId, chains[1][^1]);
        chains[1].Add(LedgerRecordFactory.Rehash(blocked with { Verdict = "blocked", BlockReason = "guardian" }));
        chains[1].Add(LedgerRecordFactory.RunEnd(chains[1][^1], "blocked"));

        // The runs' appends interleave, as concurrent runs' do.
        await Task.WhenAll(chains.Select(async chain =>
        {
            foreach (var record in chain)
            {
                await Store.AppendAsync(record, null, Token);
            }
        })).WaitAsync(Timeout, Token);

        var live = new List<LedgerRunSummary>();
        foreach (var chain in chains)
        {
            var summary = (await Store.ReadRunAsync(chain[0].TenantId, chain[0].RunId, Token))!;
            Assert.Equal(LedgerRunTotals.From(chain), summary.Totals);
            live.Add(summary);
        }

        Assert.Contains(live, summary => summary.Totals.Steps > 0);
        await RerunTotalsMigrationAsync().WaitAsync(Timeout, Token);

        foreach (var (chain, summary) in chains.Zip(live))
        {
            Assert.Equal(summary, await Store.ReadRunAsync(chain[0].TenantId, chain[0].RunId, Token));
        }
    }
}
