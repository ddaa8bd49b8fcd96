using System.Net;
using MeshFlow.Dashboard.ApiClient;

namespace MeshFlow.Dashboard.Metrics;

/// <summary>
/// Reads the overview's numbers for the signed-in key: the API's <c>/metrics</c> when the key may read them, else the
/// tenant's runs of the last 24 hours, page by page. A key refused metrics once (401, 403) or an API without them (404)
/// is not asked again for as long as the page lives.
/// </summary>
public sealed class OverviewSampler(MeshFlowApiClient api)
{
    /// <summary>How far back the fallback counts runs.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    // A tenant with more runs than this in a day is counted in part, and the page says so.
    private const int PageSize = 500;
    private const int MaxPages = 10;

    private bool _metricsUnavailable;

    /// <summary>Why the metrics path is not used (the API's answer), or null while it is.</summary>
    public string? MetricsUnavailableReason { get; private set; }

    /// <summary>The runs of the last window, as last read by the fallback; empty on the metrics path.</summary>
    public IReadOnlyList<RunListItem> RecentRuns { get; private set; } = [];

    public async Task<OverviewTotals> SampleAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_metricsUnavailable)
        {
            try
            {
                var text = await api.GetMetricsTextAsync(cancellationToken).ConfigureAwait(false);
                return OverviewTotalsReader.FromSamples(PrometheusTextReader.Read(text));
            }
            catch (MeshFlowApiException exception) when (exception.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                _metricsUnavailable = true;
                MetricsUnavailableReason = exception.StatusCode == HttpStatusCode.NotFound
                    ? "the API serves no /metrics"
                    : "this key may not read /metrics";
            }
        }

        return await FromRecentRunsAsync(now, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OverviewTotals> FromRecentRunsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var runs = new List<RunListItem>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.ListRunsAsync(new RunListQuery { CreatedAfter = now - Window, Limit = PageSize, Cursor = cursor }, cancellationToken)
                .ConfigureAwait(false);
            runs.AddRange(page.Runs);
            cursor = page.NextCursor;
        }
        while (cursor is not null && ++pages < MaxPages);

        RecentRuns = runs;
        return OverviewTotalsReader.FromRuns(runs, truncated: cursor is not null);
    }
}
