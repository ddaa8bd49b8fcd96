using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MeshFlow.AppHost.Tests.Support;
using MeshFlow.Tests.Http;
using StackExchange.Redis;

namespace MeshFlow.AppHost.Tests;

/// <summary>Runs through the whole topology: the api queues on Redis, two workers execute from the Postgres ledger.</summary>
[Collection(SharedAppHost.Name)]
public sealed class DistributedRunTests(AppHostFixture fixture)
{
    private const string Offline = """
        name: distributed-review
        nodes:
          - id: writer
            model: offline
            instructions: Draft the clause.
          - id: critic
            model: scripted
            responses: [REVISE, REVISE, APPROVED]
        edges:
          - from: writer
            to: critic
          - from: critic
            to: writer
            loop: true
            when: "!contains(output, 'APPROVED')"
            max_iterations: 5
        """;

    private const string Slow = """
        name: slow-chain
        nodes:
          - id: a
            model: slow
          - id: b
            model: slow
          - id: c
            model: slow
        edges:
          - from: a
            to: b
          - from: b
            to: c
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return document.RootElement.Clone();
    }

    private static async Task<string> StartAsync(HttpClient client, string yaml, string input = "NDA")
    {
        using var response = await client.PostAsync(new Uri("/runs", UriKind.Relative), Json(new { yaml, input }), Token);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("run_id").GetString()!;
    }

    private static async Task<HttpResponseMessage> OpenEventsAsync(HttpClient client, string runId, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events");
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static async Task<List<ServerSentEvent>> ReadToEndAsync(HttpClient client, string runId, long? lastEventId = null)
    {
        using var response = await OpenEventsAsync(client, runId, lastEventId);
        return await ServerSentEvents.ReadAllAsync(await response.Content.ReadAsStreamAsync(Token), Token).WaitAsync(TestTimeouts.Run, Token);
    }

    [Fact]
    public async Task Routes_need_a_key_answering_401_problem_details_and_health_stays_open()
    {
        using var anonymous = fixture.CreateApiClient();
        using var keyed = fixture.CreateApiClient(AppHostFixture.AcmeKey);

        using var refused = await anonymous.GetAsync(new Uri("/runs", UriKind.Relative), Token);
        using var wrong = await fixture.CreateApiClient("not-a-key").GetAsync(new Uri("/runs", UriKind.Relative), Token);
        using var listed = await keyed.GetAsync(new Uri("/runs", UriKind.Relative), Token);
        using var health = await anonymous.GetAsync(new Uri("/health", UriKind.Relative), Token);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (refused.StatusCode, wrong.StatusCode));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_streamed_run_delivers_token_deltas_before_each_step_end_and_completes_in_the_ledger()
    {
        using var client = fixture.CreateApiClient(AppHostFixture.AcmeKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/stream") { Content = Json(new { yaml = Offline, input = "NDA" }) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var runId = response.Headers.GetValues("MeshFlow-Run-Id").Single();

        var events = await ServerSentEvents.ReadAllAsync(await response.Content.ReadAsStreamAsync(Token), Token).WaitAsync(TestTimeouts.Run, Token);

        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Id));
        Assert.Equal("completed", events[^1].Data.GetProperty("data").GetProperty("status").GetString());
        foreach (var end in events.Where(e => e.Event == "step_end"))
        {
            var deltas = events.TakeWhile(e => e != end).Where(e => e.Event == "token_delta" && e.StepId == end.StepId)
                .Select(e => e.Data.GetProperty("data").GetProperty("text").GetString());
            Assert.Equal(end.Data.GetProperty("data").GetProperty("output").GetString(), string.Concat(deltas));
        }

        using var run = await client.GetAsync(new Uri($"/runs/{runId}", UriKind.Relative), Token);
        var body = await ReadJsonAsync(run);
        Assert.Equal(("completed", 6), (body.GetProperty("status").GetString(), body.GetProperty("steps").GetInt32()));
    }

    [Fact]
    public async Task Reconnecting_with_Last_Event_ID_mid_run_yields_every_event_exactly_once()
    {
        using var client = fixture.CreateApiClient(AppHostFixture.AcmeKey);
        var runId = await StartAsync(client, Slow);

        // Read until the first step has ended, then drop the connection mid-run.
        var first = new List<ServerSentEvent>();
        using (var response = await OpenEventsAsync(client, runId))
        {
            await foreach (var evt in ServerSentEvents.ReadAsync(await response.Content.ReadAsStreamAsync(Token), Token))
            {
                first.Add(evt);
                if (evt.Event == "step_end")
                {
                    break;
                }
            }
        }

        var rest = await ReadToEndAsync(client, runId, first[^1].Id);
        var all = await ReadToEndAsync(client, runId);

        Assert.NotEqual("run_end", first[^1].Event);
        Assert.Equal(all.Select(e => e.Id), first.Concat(rest).Select(e => e.Id));
        Assert.Equal(all.Select(e => e.Data.GetRawText()), first.Concat(rest).Select(e => e.Data.GetRawText()));
        Assert.Equal("completed", all[^1].Data.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Killing_the_worker_mid_run_still_completes_the_run_exactly_once_with_a_chain_that_verifies()
    {
        using var client = fixture.CreateApiClient(AppHostFixture.AcmeKey);
        var runId = await StartAsync(client, Slow);
        using var response = await OpenEventsAsync(client, runId);
        await using var events = ServerSentEvents.ReadAsync(await response.Content.ReadAsStreamAsync(Token), Token).GetAsyncEnumerator(Token);
        var seen = new List<ServerSentEvent>();
        while (await events.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Run, Token))
        {
            seen.Add(events.Current);
            if (events.Current.Event == "step_end")
            {
                break;
            }
        }

        // The worker executing the run holds its lease; its value names the worker: <machine>-<pid>.
        var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("redis"));
        await using (redis)
        {
            var holder = (string?)await redis.GetDatabase().StringGetAsync($"meshflow:lease:acme/{runId}");
            Assert.NotNull(holder);
            var consumer = holder!.Split('#')[0];
            using var worker = Process.GetProcessById(int.Parse(consumer[(consumer.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture));
            worker.Kill();
        }

        while (await events.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Run, Token))
        {
            seen.Add(events.Current);
        }

        Assert.Equal("run_end", seen[^1].Event);
        Assert.Equal("completed", seen[^1].Data.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count());

        using var trace = await client.GetAsync(new Uri($"/traces/{runId}", UriKind.Relative), Token);
        var records = (await ReadJsonAsync(trace)).GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["a:1", "b:1", "c:1"], records.Where(r => r.GetProperty("kind").GetString() == "step").Select(r => r.GetProperty("step_id").GetString()));
        Assert.Single(records, r => r.GetProperty("kind").GetString() == "run_end");
        using var verify = await client.GetAsync(new Uri($"/traces/{runId}/verify", UriKind.Relative), Token);
        Assert.True((await ReadJsonAsync(verify)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Cancelling_a_run_in_flight_ends_it_cancelled_in_the_stream_and_the_ledger()
    {
        using var client = fixture.CreateApiClient(AppHostFixture.AcmeKey);
        var runId = await StartAsync(client, Slow);
        using var response = await OpenEventsAsync(client, runId);
        await using var events = ServerSentEvents.ReadAsync(await response.Content.ReadAsStreamAsync(Token), Token).GetAsyncEnumerator(Token);
        while (await events.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Run, Token) && events.Current.Event != "token_delta")
        {
        }

        using var cancel = await client.PostAsync(new Uri($"/runs/{runId}/cancel", UriKind.Relative), null, Token);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        ServerSentEvent last = events.Current;
        while (await events.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Run, Token))
        {
            last = events.Current;
        }

        Assert.Equal(("run_end", "cancelled"), (last.Event, last.Data.GetProperty("data").GetProperty("status").GetString()));
        using var run = await client.GetAsync(new Uri($"/runs/{runId}", UriKind.Relative), Token);
        Assert.Equal("cancelled", (await ReadJsonAsync(run)).GetProperty("status").GetString());
        using var again = await client.PostAsync(new Uri($"/runs/{runId}/cancel", UriKind.Relative), null, Token);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var verify = await client.GetAsync(new Uri($"/traces/{runId}/verify", UriKind.Relative), Token);
        Assert.True((await ReadJsonAsync(verify)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Another_tenants_key_gets_404_for_the_run_on_every_route_the_event_stream_included()
    {
        using var acme = fixture.CreateApiClient(AppHostFixture.AcmeKey);
        var runId = await StartAsync(acme, Offline);
        await ReadToEndAsync(acme, runId);

        using var globex = fixture.CreateApiClient(AppHostFixture.GlobexKey);
        foreach (var (method, path) in new[]
        {
            ("GET", $"/runs/{runId}"), ("POST", $"/runs/{runId}/cancel"), ("GET", $"/runs/{runId}/events"), ("GET", $"/traces/{runId}"),
            ("GET", $"/traces/{runId}/steps/writer:1/replay"), ("GET", $"/traces/{runId}/verify"),
        })
        {
            using var response = await globex.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Token);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal($"no run '{runId}' exists", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Bad_requests_get_their_400_413_and_429()
    {
        using var client = fixture.CreateApiClient(AppHostFixture.AcmeKey);
        using var malformed = await client.PostAsync(new Uri("/runs", UriKind.Relative), new StringContent("{\"yaml\": ", Encoding.UTF8, "application/json"), Token);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("body", (await ReadJsonAsync(malformed)).GetProperty("errors")[0].GetProperty("path").GetString());

        var huge = JsonSerializer.Serialize(new { yaml = Offline, input = new string('x', 2 * 1024 * 1024) });
        using var tooLarge = await client.PostAsync(new Uri("/runs", UriKind.Relative), new StringContent(huge, Encoding.UTF8, "application/json"), Token);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        using var burst = fixture.CreateApiClient(AppHostFixture.BurstKey);
        HttpResponseMessage? limited = null;
        for (var i = 0; i <= AppHostFixture.RateLimit && limited is null; i++)
        {
            var response = await burst.GetAsync(new Uri("/runs", UriKind.Relative), Token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(limited!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }
    }
}
