using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Metrics;

namespace MeshFlow.Dashboard.Tests.Metrics;

public sealed class OverviewTotalsReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 15, 40, 0, TimeSpan.Zero);

    [Fact]
    public void Recent_runs_are_counted_by_status_with_their_tokens_and_cost()
    {
        RunListItem[] runs =
        [
            Run("completed", Now.AddMinutes(-5), tokens: 100, cost: 0.01m),
            Run("completed", Now.AddHours(-2), tokens: 50, cost: 0.002m),
            Run("blocked", Now.AddHours(-3), tokens: null, cost: null),
        ];

        var totals = OverviewTotalsReader.FromRuns(runs, truncated: false);

        Assert.Equal(OverviewSource.RecentRuns, totals.Source);
        Assert.Equal(2, totals.RunsByStatus["completed"]);
        Assert.Equal(1, totals.RunsByStatus["blocked"]);
        Assert.Equal(150, totals.Tokens);
        Assert.Equal(0.012m, totals.CostUsd);
        Assert.Null(totals.BlocksByReason);
    }

    [Fact]
    public void Runs_per_hour_puts_each_run_in_its_UTC_hour_and_leaves_out_older_ones()
    {
        RunListItem[] runs =
        [
            Run("completed", Now.AddMinutes(-5)),
            Run("completed", Now.AddMinutes(-39)),
            Run("failed", Now.AddMinutes(-41)),
            Run("completed", Now.AddHours(-30)),
        ];

        var hours = OverviewTotalsReader.RunsPerHour(runs, Now, 24);

        Assert.Equal(24, hours.Count);
        Assert.Equal(new SeriesPoint("15:00", 2), hours[^1]);
        Assert.Equal(new SeriesPoint("14:00", 1), hours[^2]);
        Assert.Equal("16:00", hours[0].Label);
        Assert.Equal(3, hours.Sum(h => h.Value));
    }

    [Fact]
    public void A_bounded_series_keeps_only_its_newest_items()
    {
        var series = new BoundedSeries<int>(3);

        foreach (var i in Enumerable.Range(1, 5))
        {
            series.Add(i);
        }

        Assert.Equal([3, 4, 5], series.Items);
    }

    private static RunListItem Run(string status, DateTimeOffset at, long? tokens = null, decimal? cost = null) =>
        new($"run_{Guid.NewGuid():N}", status, "w", at, at, Tokens: tokens, CostUsd: cost);
}
