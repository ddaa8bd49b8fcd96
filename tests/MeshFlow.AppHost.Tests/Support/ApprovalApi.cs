using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MeshFlow.Tests.Http;

namespace MeshFlow.AppHost.Tests.Support;

/// <summary>The api calls of the approval tests: start a run, follow it to its pause, decide it, wait for its outcome and its deliveries.</summary>
internal static class ApprovalApi
{
    // Polls share their key's rate limit (AppHostFixture.RateLimit a minute) with the rest of a test.
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return document.RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Token)}");
        return await ReadJsonAsync(response);
    }

    public static async Task<string> StartAsync(HttpClient client, string yaml, string input = "the clause")
    {
        using var response = await client.PostAsync(new Uri("/runs", UriKind.Relative), Json(new { yaml, input }), Token);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /runs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Token)}");
        return (await ReadJsonAsync(response)).GetProperty("run_id").GetString()!;
    }

    /// <summary>The run's events until its stream ends (at a pause or the end), after <paramref name="lastEventId"/> when given.</summary>
    public static async Task<List<ServerSentEvent>> ReadEventsAsync(HttpClient client, string runId, long? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events");
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ServerSentEvents.ReadAllAsync(await response.Content.ReadAsStreamAsync(Token), Token).WaitAsync(TestTimeouts.Run, Token);
    }

    /// <summary>Starts a run and follows it until it pauses: its id and events, the last being <c>run_end</c> with status <c>paused</c>.</summary>
    public static async Task<(string RunId, List<ServerSentEvent> Events)> StartPausedAsync(HttpClient client, string yaml)
    {
        var runId = await StartAsync(client, yaml);
        var events = await ReadEventsAsync(client, runId);
        AssertPaused(events);
        return (runId, events);
    }

    public static void AssertPaused(List<ServerSentEvent> events)
    {
        Assert.Equal(("run_end", "paused"), (events[^1].Event, events[^1].Data.GetProperty("data").GetProperty("status").GetString()));
        Assert.Single(events, e => e.Event == "hitl_pause");
    }

    /// <summary>The <c>data</c> of the run's <c>hitl_pause</c> event.</summary>
    public static JsonElement PauseData(List<ServerSentEvent> events) => events.Single(e => e.Event == "hitl_pause").Data.GetProperty("data");

    /// <summary><c>POST /hitl/{run_id}/approve</c> or <c>/reject</c> (<paramref name="decision"/>).</summary>
    public static Task<HttpResponseMessage> DecideAsync(HttpClient client, string runId, string decision, string reviewerId, string? notes = null) =>
        client.PostAsync(new Uri($"/hitl/{runId}/{decision}", UriKind.Relative), Json(new { reviewer_id = reviewerId, notes }), Token);

    /// <summary>Polls <c>GET /runs/{id}</c> until the run has <paramref name="status"/>.</summary>
    public static Task<JsonElement> WaitForStatusAsync(HttpClient client, string runId, string status) =>
        PollAsync(client, $"/runs/{runId}", run => run.GetProperty("status").GetString() == status, TestTimeouts.Run, $"status '{status}'");

    /// <summary>Polls <c>GET /hitl/{run_id}/deliveries</c> until <paramref name="until"/> holds for its <c>deliveries</c>.</summary>
    public static async Task<JsonElement[]> WaitForDeliveriesAsync(HttpClient client, string runId, Func<JsonElement[], bool> until, string what)
    {
        var list = await PollAsync(client, $"/hitl/{runId}/deliveries", body => until([.. body.GetProperty("deliveries").EnumerateArray()]),
            TestTimeouts.Default, what);
        return [.. list.GetProperty("deliveries").EnumerateArray()];
    }

    /// <summary>The run's deliveries of <paramref name="type"/> whose state is <paramref name="state"/>.</summary>
    public static bool Has(JsonElement[] deliveries, string type, string state) =>
        deliveries.Any(d => d.GetProperty("type").GetString() == type && d.GetProperty("state").GetString() == state);

    private static async Task<JsonElement> PollAsync(HttpClient client, string path, Func<JsonElement, bool> until, TimeSpan timeout, string what)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(timeout);
        var last = default(JsonElement);
        try
        {
            while (true)
            {
                last = await GetJsonAsync(client, path).WaitAsync(deadline.Token);
                if (until(last))
                {
                    return last;
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!Token.IsCancellationRequested)
        {
            throw new TimeoutException($"GET {path} did not show {what} within {timeout.TotalSeconds:0} s; last answer: {last}");
        }
    }
}
