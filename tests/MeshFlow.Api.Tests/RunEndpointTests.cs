using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Tests.Http;

namespace MeshFlow.Api.Tests;

/// <summary>Runs through the HTTP API in embedded mode: start, read, list, stream, resume, trace, verify, tenancy.</summary>
public sealed class RunEndpointTests(RunEndpointTests.Factory factory) : IClassFixture<RunEndpointTests.Factory>
{
    public const string Review = """
        name: review
        nodes:
          - id: writer
            model: offline
            instructions: Draft the clause.
          - id: critic
            model: scripted
            responses: [REVISE, APPROVED]
        edges:
          - from: writer
            to: critic
          - from: critic
            to: writer
            loop: true
            when: "!contains(output, 'APPROVED')"
            max_iterations: 3
        """;

    /// <summary>The API with a registered workflow folder.</summary>
    public sealed class Factory() : ApiFactory(new Dictionary<string, string?> { ["MESHFLOW_WORKFLOWS_DIR"] = WorkflowsDirectory() })
    {
        private static string WorkflowsDirectory()
        {
            var directory = Path.Combine(Path.GetTempPath(), "meshflow-workflows-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "review.yaml"), Review);
            return directory;
        }
    }

    private HttpClient Acme() => factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

    private HttpClient Globex() => factory.CreateAuthenticatedClient(ApiFactory.GlobexUserKey);

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<string> StartAsync(HttpClient client, object? body = null)
    {
        using var response = await client.PostWithTimeoutAsync("/runs", Json(body ?? new { yaml = Review, input = "NDA" }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("run_id").GetString()!;
    }

    private static async Task<List<ServerSentEvent>> EventsAsync(HttpClient client, string runId, long? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events");
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        return await ServerSentEvents.ReadAllAsync(body, TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
    }

    private static void AssertStreamsTokensBeforeStepEnds(List<ServerSentEvent> events)
    {
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Id));
        Assert.Equal("run_start", events[0].Event);
        Assert.Equal("run_end", events[^1].Event);
        Assert.All(events, e => Assert.Equal(e.Event, e.Kind));
        foreach (var end in events.Where(e => e.Event == "step_end"))
        {
            var deltas = events.TakeWhile(e => e != end).Where(e => e.Event == "token_delta" && e.StepId == end.StepId)
                .Select(e => e.Data.GetProperty("data").GetProperty("text").GetString());
            Assert.NotEmpty(deltas);
            Assert.Equal(end.Data.GetProperty("data").GetProperty("output").GetString(), string.Concat(deltas));
        }
    }

    [Fact]
    public async Task A_run_is_accepted_with_links_then_reads_completed_with_its_totals_and_output()
    {
        using var client = Acme();
        using var response = await client.PostWithTimeoutAsync("/runs", Json(new { yaml = Review, input = "NDA", metadata = new { order = 17 } }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadJsonAsync();
        var runId = accepted.GetProperty("run_id").GetString()!;
        Assert.Equal("queued", accepted.GetProperty("status").GetString());
        Assert.Equal($"/runs/{runId}", response.Headers.Location?.ToString());
        Assert.Equal($"/runs/{runId}/events", accepted.GetProperty("links").GetProperty("events").GetString());

        var events = await EventsAsync(client, runId);
        using var run = await client.GetWithTimeoutAsync($"/runs/{runId}");
        var body = await run.ReadJsonAsync();
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal("review", body.GetProperty("workflow").GetString());
        Assert.Equal(4, body.GetProperty("steps").GetInt32());
        Assert.Equal(events[^1].Data.GetProperty("data").GetProperty("output").GetString(), body.GetProperty("output").GetString());
        Assert.True(body.GetProperty("tokens").GetInt64() > 0);
    }

    [Fact]
    public async Task The_event_stream_delivers_every_token_delta_before_its_step_end_with_gapless_ids()
    {
        using var client = Acme();
        var runId = await StartAsync(client);

        AssertStreamsTokensBeforeStepEnds(await EventsAsync(client, runId));
    }

    [Fact]
    public async Task Reconnecting_with_Last_Event_ID_yields_exactly_the_events_after_it()
    {
        using var client = Acme();
        var runId = await StartAsync(client);
        var all = await EventsAsync(client, runId);

        foreach (var last in new long[] { 1, all.Count / 2, all.Count - 1, all.Count })
        {
            var resumed = await EventsAsync(client, runId, last);
            Assert.Equal(all.Skip((int)last).Select(e => e.Id), resumed.Select(e => e.Id));
            Assert.Equal(all.Skip((int)last).Select(e => e.Data.GetRawText()), resumed.Select(e => e.Data.GetRawText()));
        }

        using var bad = new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events");
        bad.Headers.Add("Last-Event-ID", "seven");
        using var refused = await client.SendWithTimeoutAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Last-Event-ID", await refused.ReadTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_stream_starts_a_run_and_streams_it_as_sse_or_ndjson()
    {
        using var client = Acme();
        using var sse = new HttpRequestMessage(HttpMethod.Post, "/stream") { Content = Json(new { workflow = "review", input = "NDA" }) };
        using var sseResponse = await client.SendAsync(sse, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, sseResponse.StatusCode);
        var runId = sseResponse.Headers.GetValues("MeshFlow-Run-Id").Single();
        var events = await ServerSentEvents.ReadAllAsync(await sseResponse.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        AssertStreamsTokensBeforeStepEnds(events);
        Assert.All(events, e => Assert.Equal(runId, e.Data.GetProperty("run_id").GetString()));

        using var ndjson = new HttpRequestMessage(HttpMethod.Post, "/stream") { Content = Json(new { yaml = Review, input = "NDA" }) };
        ndjson.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        using var ndjsonResponse = await client.SendWithTimeoutAsync(ndjson);
        Assert.Equal("application/x-ndjson", ndjsonResponse.Content.Headers.ContentType?.MediaType);
        var lines = (await ndjsonResponse.ReadTextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        // Two runs of one workflow: the same events, except how many token deltas carry each step's text (the relay
        // merges deltas that pile up while it publishes).
        Assert.Equal(events.Select(e => e.Kind).Where(k => k != "token_delta"),
            lines.Select(l => l.GetProperty("kind").GetString()).Where(k => k != "token_delta"));
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "token_delta");
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_with_filters_and_a_cursor_and_bad_parameters_are_named()
    {
        using var client = Acme();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await StartAsync(client, new { yaml = Review.Replace("name: review", "name: listed", StringComparison.Ordinal), input = "x" + i }));
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            using var page = await client.GetWithTimeoutAsync("/runs?workflow=listed&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var body = await page.ReadJsonAsync();
            seen.AddRange(body.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()!));
            cursor = body.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        using (var globex = Globex())
        using (var theirs = await globex.GetWithTimeoutAsync("/runs?workflow=listed"))
        {
            Assert.Empty((await theirs.ReadJsonAsync()).GetProperty("runs").EnumerateArray());
        }

        foreach (var (query, field) in new[] { ("limit=0", "limit"), ("limit=abc", "limit"), ("cursor=%21%21", "cursor"), ("created_after=yesterday", "created_after") })
        {
            using var bad = await client.GetWithTimeoutAsync("/runs?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal(field, (await bad.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("path").GetString());
        }
    }

    [Fact]
    public async Task The_trace_shows_every_record_chained_a_step_replays_in_full_and_the_chain_verifies()
    {
        using var client = Acme();
        var runId = await StartAsync(client);
        var events = await EventsAsync(client, runId);

        using var trace = await client.GetWithTimeoutAsync($"/traces/{runId}");
        var steps = (await trace.ReadJsonAsync()).GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["run_start", "step", "step", "step", "step", "run_end"], steps.Select(s => s.GetProperty("kind").GetString()));
        for (var i = 1; i < steps.Count; i++)
        {
            Assert.Equal(steps[i - 1].GetProperty("entry_hash").GetString(), steps[i].GetProperty("prev_hash").GetString());
        }

        var writerEnd = events.First(e => e.Event == "step_end" && e.StepId == "writer:1");
        using var replay = await client.GetWithTimeoutAsync($"/traces/{runId}/steps/writer:1/replay");
        var step = await replay.ReadJsonAsync();
        Assert.Equal(writerEnd.Data.GetProperty("data").GetProperty("output").GetString(), step.GetProperty("output").GetString());
        Assert.Equal("NDA", step.GetProperty("input_task").GetString()![..3]);

        using var verify = await client.GetWithTimeoutAsync($"/traces/{runId}/verify");
        var verification = await verify.ReadJsonAsync();
        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(6, verification.GetProperty("records").GetInt32());

        using var missingStep = await client.GetWithTimeoutAsync($"/traces/{runId}/steps/nobody:1/replay");
        Assert.Equal(HttpStatusCode.NotFound, missingStep.StatusCode);
    }

    [Fact]
    public async Task Another_tenants_run_is_a_404_identical_to_a_missing_one_on_every_route()
    {
        using var acme = Acme();
        var runId = await StartAsync(acme);
        await EventsAsync(acme, runId);
        const string Missing = "run_00000000000000000000000000000000";

        using var globex = Globex();
        foreach (var (method, path) in new[]
        {
            ("GET", "/runs/{0}"), ("POST", "/runs/{0}/cancel"), ("GET", "/runs/{0}/events"), ("GET", "/traces/{0}"),
            ("GET", "/traces/{0}/steps/writer:1/replay"), ("GET", "/traces/{0}/verify"),
        })
        {
            using var theirs = await globex.SendWithTimeoutAsync(new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, path, runId)));
            using var missing = await globex.SendWithTimeoutAsync(new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Missing)));
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            var (a, b) = (await theirs.ReadJsonAsync(), await missing.ReadJsonAsync());
            Assert.Equal(b.GetProperty("title").GetString(), a.GetProperty("title").GetString());
            Assert.Equal(b.GetProperty("detail").GetString()!.Replace(Missing, runId, StringComparison.Ordinal), a.GetProperty("detail").GetString());
        }

        using var mine = await acme.GetWithTimeoutAsync($"/runs/{runId}");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async Task An_idempotency_key_makes_a_retry_answer_the_same_run_and_a_different_request_with_it_a_422()
    {
        using var client = Acme();
        var key = Guid.NewGuid().ToString("N");
        HttpRequestMessage Post(string input)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/runs") { Content = Json(new { yaml = Review, input }) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        using var first = await client.SendWithTimeoutAsync(Post("NDA"));
        using var retry = await client.SendWithTimeoutAsync(Post("NDA"));
        using var other = await client.SendWithTimeoutAsync(Post("something else"));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, retry.StatusCode));
        Assert.Equal((await first.ReadJsonAsync()).GetProperty("run_id").GetString(), (await retry.ReadJsonAsync()).GetProperty("run_id").GetString());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("Idempotency-Key", (await other.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task A_post_stream_retried_with_its_idempotency_key_after_the_run_ended_streams_the_same_run_again()
    {
        using var client = Acme();
        var key = Guid.NewGuid().ToString("N");
        async Task<(string RunId, List<ServerSentEvent> Events)> StreamAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/stream") { Content = Json(new { yaml = Review, input = "NDA" }) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var events = await ServerSentEvents.ReadAllAsync(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken),
                TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
            return (response.Headers.GetValues("MeshFlow-Run-Id").Single(), events);
        }

        var first = await StreamAsync();
        var retry = await StreamAsync();

        Assert.Equal(first.RunId, retry.RunId);
        Assert.Equal("run_end", first.Events[^1].Kind);
        Assert.Equal(first.Events.Select(e => (e.Id, e.Kind)), retry.Events.Select(e => (e.Id, e.Kind)));
    }

    [Fact]
    public async Task Cancelling_an_ended_run_is_a_409_that_says_so()
    {
        using var client = Acme();
        var runId = await StartAsync(client);
        await EventsAsync(client, runId);

        using var response = await client.PostWithTimeoutAsync($"/runs/{runId}/cancel", new StringContent(""));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("already ended (completed)", (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
