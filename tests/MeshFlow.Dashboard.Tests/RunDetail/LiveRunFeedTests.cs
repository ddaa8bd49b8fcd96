using System.Net;
using System.Text;
using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Components.RunDetail;
using MeshFlow.Dashboard.Tests.Support;

namespace MeshFlow.Dashboard.Tests.RunDetail;

public sealed class LiveRunFeedTests
{
    [Fact]
    public async Task A_dropped_stream_resumes_after_the_last_event_and_hands_every_event_over_once()
    {
        var lastEventIds = new List<string?>();
        var api = Client(request =>
        {
            lastEventIds.Add(request.Headers.TryGetValues("Last-Event-ID", out var values) ? values.Single() : null);
            // The first connection drops after two events; the second one carries on to the run's end.
            return lastEventIds.Count == 1
                ? Sse(Event(1, "step_start"), Event(2, "token_delta"))
                : Sse(Event(3, "token_delta"), Event(4, "step_end"), Event(5, "run_end"));
        });
        var seen = new List<long?>();

        await new LiveRunFeed(api, TimeProvider.System, TimeSpan.Zero)
            .FollowAsync("r1", item =>
            {
                seen.Add(item.Id);
                return Task.CompletedTask;
            }, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal([null, "2"], lastEventIds);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], seen);
    }

    [Fact]
    public async Task An_unreachable_api_is_retried_and_a_run_that_is_gone_stops_the_feed()
    {
        var calls = 0;
        var api = Client(_ => ++calls == 1
            ? throw new HttpRequestException("connection refused")
            : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"title":"Run not found"}""", Encoding.UTF8, "application/problem+json") });
        var seen = 0;

        await new LiveRunFeed(api, TimeProvider.System, TimeSpan.Zero)
            .FollowAsync("r1", _ =>
            {
                seen++;
                return Task.CompletedTask;
            }, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal(2, calls);
        Assert.Equal(0, seen);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task A_refused_stream_stops_the_feed_with_the_message(HttpStatusCode status)
    {
        var calls = 0;
        var api = Client(_ =>
        {
            calls++;
            return new HttpResponseMessage(status) { Content = new StringContent("""{"title":"Refused","detail":"The key is not allowed."}""", Encoding.UTF8, "application/problem+json") };
        });

        var problem = await new LiveRunFeed(api, TimeProvider.System, TimeSpan.Zero)
            .FollowAsync("r1", _ => Task.CompletedTask, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal(1, calls);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public async Task A_malformed_event_is_skipped_and_the_events_after_it_are_handed_over()
    {
        var api = Client(_ => Sse(Event(1, "step_start"), "id: 2\nevent: token_delta\ndata: {not json\n\n", Event(3, "run_end")));
        var seen = new List<long?>();

        await new LiveRunFeed(api, TimeProvider.System, TimeSpan.Zero)
            .FollowAsync("r1", item =>
            {
                seen.Add(item.Id);
                return Task.CompletedTask;
            }, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal([1L, 3L], seen);
    }

    [Fact]
    public async Task An_event_without_an_id_keeps_the_resume_point()
    {
        var lastEventIds = new List<string?>();
        var api = Client(request =>
        {
            lastEventIds.Add(request.Headers.TryGetValues("Last-Event-ID", out var values) ? values.Single() : null);
            return lastEventIds.Count == 1
                ? Sse(Event(1, "step_start"), "event: token_delta\ndata: {\"kind\":\"token_delta\"}\n\n")
                : Sse(Event(2, "run_end"));
        });

        await new LiveRunFeed(api, TimeProvider.System, TimeSpan.Zero)
            .FollowAsync("r1", _ => Task.CompletedTask, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal([null, "1"], lastEventIds);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 30)]
    [InlineData(100, 30)]
    public void The_wait_between_reconnections_doubles_up_to_thirty_seconds(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), LiveRunFeed.Backoff(TimeSpan.FromSeconds(1), failures));

    private static string Event(long id, string kind) =>
        $"id: {id}\nevent: {kind}\ndata: {{\"seq\":{id},\"kind\":\"{kind}\",\"step_id\":\"writer:1\",\"data\":{{\"text\":\"x\"}}}}\n\n";

    private static HttpResponseMessage Sse(params string[] events) =>
        new(HttpStatusCode.OK) { Content = new StringContent(string.Concat(events), Encoding.UTF8, "text/event-stream") };

    private static MeshFlowApiClient Client(Func<HttpRequestMessage, HttpResponseMessage> respond) =>
        new(new HttpClient(new StubHttpMessageHandler(respond)) { BaseAddress = new Uri("http://api.test") },
            new FixedApiKey("feed-test-key"), new ApiAvailability());
}
