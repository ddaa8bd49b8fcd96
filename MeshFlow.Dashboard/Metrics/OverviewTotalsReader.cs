using System.Globalization;
using MeshFlow.Dashboard.ApiClient;

namespace MeshFlow.Dashboard.Metrics;

/// <summary>Turns what the API answered into <see cref="OverviewTotals"/>: metric samples, or a window of runs.</summary>
public static class OverviewTotalsReader
{
    /// <summary>
    /// Sums the MeshFlow counters by the label the overview groups on; every other label (provider, model, the
    /// exporter's <c>otel_scope_*</c>) is summed over, so a scope or model added later cannot split a total.
    /// </summary>
    public static OverviewTotals FromSamples(IEnumerable<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var runs = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var blocks = new SortedDictionary<string, long>(StringComparer.Ordinal);
        double tokens = 0, cost = 0;
        double? pending = null;
        foreach (var sample in samples)
        {
            if (!double.IsFinite(sample.Value))
            {
                continue;
            }

            switch (sample.Name)
            {
                case MetricNames.Runs:
                    Add(runs, sample.Label("status") ?? "unknown", sample.Value);
                    break;
                case MetricNames.Blocks:
                    Add(blocks, sample.Label("reason") ?? "unknown", sample.Value);
                    break;
                case MetricNames.Tokens:
                    tokens += sample.Value;
                    break;
                case MetricNames.Cost:
                    cost += sample.Value;
                    break;
                case MetricNames.HitlPending:
                    pending = (pending ?? 0) + sample.Value;
                    break;
                default:
                    break;
            }
        }

        return new OverviewTotals(OverviewSource.Metrics, runs, blocks, (long)Math.Round(tokens), (decimal)cost,
            pending is { } p ? (long)Math.Round(p) : null);
    }

    /// <summary>Counts a window of runs by status and adds their tokens and cost (a run without totals adds nothing).</summary>
    public static OverviewTotals FromRuns(IEnumerable<RunListItem> runs, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var byStatus = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long tokens = 0;
        decimal cost = 0;
        foreach (var run in runs)
        {
            byStatus[run.Status] = byStatus.GetValueOrDefault(run.Status) + 1;
            tokens += run.Tokens ?? 0;
            cost += run.CostUsd ?? 0;
        }

        return new OverviewTotals(OverviewSource.RecentRuns, byStatus, null, tokens, cost, null, truncated);
    }

    /// <summary>The runs of the window counted by the UTC hour they started in, oldest hour first, the current hour last.</summary>
    public static IReadOnlyList<SeriesPoint> RunsPerHour(IEnumerable<RunListItem> runs, DateTimeOffset now, int hours)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var current = HourOf(now);
        var counts = new double[hours];
        foreach (var run in runs)
        {
            var bucket = hours - 1 - (int)(current - HourOf(run.CreatedAt)).TotalHours;
            if (bucket >= 0 && bucket < hours)
            {
                counts[bucket]++;
            }
        }

        return [.. counts.Select((count, i) => new SeriesPoint(
            current.AddHours(i - hours + 1).ToString("HH:00", CultureInfo.InvariantCulture), count))];
    }

    private static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private static void Add(SortedDictionary<string, long> totals, string key, double value) =>
        totals[key] = totals.GetValueOrDefault(key) + (long)Math.Round(value);
}
