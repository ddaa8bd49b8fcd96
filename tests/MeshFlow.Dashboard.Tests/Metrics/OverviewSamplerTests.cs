using System.Net;
using MeshFlow.Dashboard.Metrics;
using MeshFlow.Dashboard.Tests.Support;

namespace MeshFlow.Dashboard.Tests.Metrics;

public sealed class OverviewSamplerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    private const string FirstPage = """
        {"runs":[{"run_id":"run_b","status":"completed","workflow":"w","created_at":"2026-12-07T14:00:00Z","updated_at":"2026-12-07T14:00:01Z","tokens":40,"cost_usd":0.01}],
         "next_cursor":"c2"}
        """;

    private const string SecondPage = """
        {"runs":[{"run_id":"run_a","status":"blocked","workflow":"w","created_at":"2026-12-07T13:00:00Z","updated_at":"2026-12-07T13:00:01Z","tokens":2,"cost_usd":0}],
         "next_cursor":null}
        """;

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "this key may not read /metrics")]
    [InlineData(HttpStatusCode.Unauthorized, "this key may not read /metrics")]
    [InlineData(HttpStatusCode.NotFound, "the API serves no /metrics")]
    public async Task Without_metrics_the_totals_come_from_every_page_of_the_last_24_hours_of_runs(HttpStatusCode refusal, string reason)
    {
        var api = RunsApi().On("GET", "/metrics", refusal, """{"title":"no","status":0}""");
        var sampler = new Dashboard.Metrics.OverviewSampler(api.CreateClient());

        var totals = await sampler.SampleAsync(Now, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(OverviewSource.RecentRuns, totals.Source);
        Assert.Equal(reason, sampler.MetricsUnavailableReason);
        Assert.Equal(1, totals.RunsByStatus["completed"]);
        Assert.Equal(1, totals.RunsByStatus["blocked"]);
        Assert.Equal(42, totals.Tokens);
        Assert.Equal(0.01m, totals.CostUsd);
        var asked = api.Requests.Where(r => r.Request.RequestUri!.AbsolutePath == "/runs").Select(r => r.Request.RequestUri!.Query).ToList();
        Assert.Equal(["?created_after=2026-12-06T15%3A00%3A00Z&limit=500", "?created_after=2026-12-06T15%3A00%3A00Z&limit=500&cursor=c2"], asked);
    }

    [Fact]
    public async Task A_key_refused_metrics_is_not_asked_for_them_again()
    {
        var api = RunsApi().On("GET", "/metrics", HttpStatusCode.Forbidden, """{"title":"Forbidden","status":403}""");
        var sampler = new Dashboard.Metrics.OverviewSampler(api.CreateClient());

        await sampler.SampleAsync(Now, Xunit.TestContext.Current.CancellationToken);
        await sampler.SampleAsync(Now.AddSeconds(10), Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(1, api.Count("GET", "/metrics"));
        Assert.Equal(4, api.Count("GET", "/runs"));
    }

    [Fact]
    public async Task Readable_metrics_are_the_source_and_no_run_is_listed()
    {
        var api = RunsApi().On("GET", "/metrics", _ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("# TYPE meshflow_runs_total counter\nmeshflow_runs_total{otel_scope_name=\"MeshFlow\",status=\"completed\"} 7\n# EOF\n"),
        });
        var sampler = new Dashboard.Metrics.OverviewSampler(api.CreateClient());

        var totals = await sampler.SampleAsync(Now, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(OverviewSource.Metrics, totals.Source);
        Assert.Equal(7, totals.Runs);
        Assert.Null(sampler.MetricsUnavailableReason);
        Assert.Equal(0, api.Count("GET", "/runs"));
    }

    [Fact]
    public async Task Unreadable_metrics_are_an_error_not_a_zero()
    {
        var api = RunsApi().On("GET", "/metrics", _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("meshflow_runs_total{status=\"completed\" 3\n") });
        var sampler = new Dashboard.Metrics.OverviewSampler(api.CreateClient());

        await Assert.ThrowsAsync<FormatException>(() => sampler.SampleAsync(Now, Xunit.TestContext.Current.CancellationToken));
    }

    private static RoutedApi RunsApi() => new RoutedApi().On("GET", "/runs", request => RoutedApi.Json(HttpStatusCode.OK,
        request.RequestUri!.Query.Contains("cursor=c2", StringComparison.Ordinal) ? SecondPage : FirstPage));
}
