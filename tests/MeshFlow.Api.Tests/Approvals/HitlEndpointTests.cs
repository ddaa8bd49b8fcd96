using System.Net;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Tests.Http;
using static MeshFlow.Api.Tests.Governance.GovernanceApi;

namespace MeshFlow.Api.Tests.Approvals;

/// <summary>The approval routes in embedded mode: pending list, decisions by reviewer keys, 403/404/409 and bad bodies.</summary>
public sealed class HitlEndpointTests
{
    private const string ReviewerKey = "hitl-reviewer-key";
    private const string OtherReviewerKey = "hitl-other-reviewer-key";

    // The publisher is declared high risk: strict pauses before it runs.
    private const string Publish = """
        name: publish
        policy: strict
        nodes:
          - id: drafter
            model: scripted
            responses: [DRAFT]
          - id: publisher
            model: scripted
            risk: high
            responses: [PUBLISHED]
        edges:
          - from: drafter
            to: publisher
        """;

    private static ApiFactory Api(string tenant) => ApiFactory.Create(new Dictionary<string, string?>
    {
        [MeshFlow.Api.Security.ApiSecurityConfiguration.ApiKeys] =
            $"{UserKey}:{tenant},{ReviewerKey}:{tenant}:reviewer,{AdminKey}:{tenant}:admin,{OtherReviewerKey}:other-{tenant}:reviewer",
    });

    private static async Task<string> PauseAsync(HttpClient client)
    {
        var events = await StreamAsync(client, new { yaml = Publish, input = "the clause" });
        Assert.Equal("paused", RunEnd(events).GetProperty("status").GetString());
        var pause = events.Single(e => e.Kind == "hitl_pause").Data;
        Assert.Equal("publisher", pause.GetProperty("node_id").GetString());
        return pause.GetProperty("run_id").GetString()!;
    }

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string runId, string status)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            using var response = await client.GetWithTimeoutAsync($"/runs/{runId}");
            var run = await response.ReadJsonAsync();
            if (run.GetProperty("status").GetString() == status)
            {
                return run;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact]
    public async Task A_paused_run_is_listed_pending_for_its_tenant_only()
    {
        await using var api = Api("hitl-list");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var other = api.CreateAuthenticatedClient(OtherReviewerKey);
        var runId = await PauseAsync(user);

        using var mine = await user.GetWithTimeoutAsync("/hitl/pending");
        using var theirs = await other.GetWithTimeoutAsync("/hitl/pending");
        using var badLimit = await user.GetWithTimeoutAsync("/hitl/pending?limit=0");

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        var pending = Assert.Single((await mine.ReadJsonAsync()).GetProperty("pending").EnumerateArray());
        Assert.Equal(runId, pending.GetProperty("run_id").GetString());
        Assert.Equal(("publisher:1", "dasc", "high", "pending"), (pending.GetProperty("step_id").GetString(),
            pending.GetProperty("block_reason").GetString(), pending.GetProperty("tier").GetString(), pending.GetProperty("state").GetString()));
        Assert.Equal("DRAFT", pending.GetProperty("context").GetProperty("input").GetString());
        Assert.True(pending.GetProperty("age_seconds").GetInt64() >= 0);
        Assert.True(pending.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));
        Assert.EndsWith($"/hitl/{runId}/approve?pause={pending.GetProperty("pause_seq").GetInt64()}", pending.GetProperty("approve_url").GetString(),
            StringComparison.Ordinal);
        Assert.Empty((await theirs.ReadJsonAsync()).GetProperty("pending").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Contains("limit", await badLimit.ReadTextAsync(), StringComparison.Ordinal);
        Assert.Equal("paused", (await WaitForStatusAsync(user, runId, "paused")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_reviewer_approves_and_the_run_completes_while_a_user_key_is_forbidden()
    {
        await using var api = Api("hitl-approve");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var reviewer = api.CreateAuthenticatedClient(ReviewerKey);
        var runId = await PauseAsync(user);

        using var forbidden = await user.PostWithTimeoutAsync($"/hitl/{runId}/approve", Json(new { reviewer_id = "eve" }));
        using var approved = await reviewer.PostWithTimeoutAsync($"/hitl/{runId}/approve", Json(new { reviewer_id = "dr.lee", notes = "ok to publish" }));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var decision = await approved.ReadJsonAsync();
        Assert.Equal(("approved", "dr.lee", true), (decision.GetProperty("decision").GetString(), decision.GetProperty("reviewer_id").GetString(),
            decision.GetProperty("met_deadline").GetBoolean()));
        var run = await WaitForStatusAsync(user, runId, "completed");
        Assert.Equal("PUBLISHED", run.GetProperty("output").GetString());
        using var pending = await user.GetWithTimeoutAsync("/hitl/pending");
        Assert.Empty((await pending.ReadJsonAsync()).GetProperty("pending").EnumerateArray());
    }

    [Fact]
    public async Task A_rejected_run_ends_blocked_and_later_decisions_get_409_naming_the_winner()
    {
        await using var api = Api("hitl-reject");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var reviewer = api.CreateAuthenticatedClient(ReviewerKey);
        using var admin = api.CreateAuthenticatedClient(AdminKey);
        var runId = await PauseAsync(user);

        using var rejected = await reviewer.PostWithTimeoutAsync($"/hitl/{runId}/reject", Json(new { reviewer_id = "dr.lee", notes = "not this week" }));
        using var late = await admin.PostWithTimeoutAsync($"/hitl/{runId}/approve", Json(new { reviewer_id = "boss" }));

        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var problem = await late.ReadJsonAsync();
        Assert.Equal("rejected", problem.GetProperty("decision").GetString());
        Assert.Contains("already rejected by 'dr.lee'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await WaitForStatusAsync(user, runId, "blocked");
    }

    [Fact]
    public async Task Another_tenant_gets_404_like_a_missing_run_and_a_run_that_is_not_paused_gets_409()
    {
        await using var api = Api("hitl-scope");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var reviewer = api.CreateAuthenticatedClient(ReviewerKey);
        using var stranger = api.CreateAuthenticatedClient(OtherReviewerKey);
        var runId = await PauseAsync(user);
        var done = (await StreamAsync(user, new { yaml = Publish.Replace("risk: high", "risk: low", StringComparison.Ordinal), input = "x" })).Single(e => e.Kind == "run_end").Data;
        var completedId = done.GetProperty("run_id").GetString()!;

        using var foreign = await stranger.PostWithTimeoutAsync($"/hitl/{runId}/approve", Json(new { reviewer_id = "mallory" }));
        using var missing = await reviewer.PostWithTimeoutAsync("/hitl/run_nope/approve", Json(new { reviewer_id = "dr.lee" }));
        using var notPaused = await reviewer.PostWithTimeoutAsync($"/hitl/{completedId}/reject", Json(new { reviewer_id = "dr.lee" }));
        using var foreignDeliveries = await stranger.GetWithTimeoutAsync($"/hitl/{runId}/deliveries");

        Assert.Equal("completed", done.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal((await missing.ReadJsonAsync()).GetProperty("title").GetString(), (await foreign.ReadJsonAsync()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Conflict, notPaused.StatusCode);
        Assert.Contains("completed, not paused", await notPaused.ReadTextAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreignDeliveries.StatusCode);
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
        return await ServerSentEvents.ReadAllAsync(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_client_resuming_after_the_pause_follows_the_run_to_its_end_and_a_new_reader_gets_the_whole_run()
    {
        await using var api = Api("hitl-events");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var reviewer = api.CreateAuthenticatedClient(ReviewerKey);
        var streamed = await StreamAsync(user, new { yaml = Publish, input = "the clause" });
        var runId = streamed[0].Data.GetProperty("run_id").GetString()!;
        var pausedEnd = streamed[^1];
        Assert.Equal(("run_end", "paused"), (pausedEnd.Kind, pausedEnd.Data.GetProperty("data").GetProperty("status").GetString()));

        var following = EventsAsync(user, runId, pausedEnd.Id);
        using var approved = await reviewer.PostWithTimeoutAsync($"/hitl/{runId}/approve", Json(new { reviewer_id = "dr.lee" }));
        var rest = await following;
        await WaitForStatusAsync(user, runId, "completed");
        var whole = await EventsAsync(user, runId);

        Assert.Equal("hitl_resolved", rest[0].Kind);
        Assert.Equal(("run_end", "completed"), (rest[^1].Kind, rest[^1].Data.GetProperty("data").GetProperty("status").GetString()));
        Assert.Equal(Enumerable.Range((int)pausedEnd.Id + 1, rest.Count).Select(i => (long)i), rest.Select(e => e.Id));
        Assert.Equal([.. streamed.Select(e => e.Id), .. rest.Select(e => e.Id)], whole.Select(e => e.Id));
        Assert.Equal("PUBLISHED", rest.Last(e => e.Kind == "step_end").Data.GetProperty("data").GetProperty("output").GetString());
    }

    [Fact]
    public async Task A_decision_names_its_pause_so_a_late_one_gets_409_once_the_run_waits_on_the_next()
    {
        await using var api = Api("hitl-two-pauses");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var reviewer = api.CreateAuthenticatedClient(ReviewerKey);
        const string twoGates = """
            name: publish-twice
            policy: strict
            nodes:
              - id: drafter
                model: scripted
                responses: [DRAFT]
              - id: publisher
                model: scripted
                risk: high
                responses: [PUBLISHED]
              - id: announcer
                model: scripted
                risk: high
                responses: [ANNOUNCED]
            edges:
              - from: drafter
                to: publisher
              - from: publisher
                to: announcer
            """;
        var events = await StreamAsync(user, new { yaml = twoGates, input = "the clause" });
        var first = events.Single(e => e.Kind == "hitl_pause").Data.GetProperty("data");
        var runId = events[0].Data.GetProperty("run_id").GetString()!;

        // Without MESHFLOW_PUBLIC_URL the links are relative to the API's root.
        using var approved = await reviewer.PostWithTimeoutAsync(first.GetProperty("approve_url").GetString()!, Json(new { reviewer_id = "dr.lee" }));
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        JsonElement second;
        while (true)
        {
            using var pendingResponse = await user.GetWithTimeoutAsync("/hitl/pending");
            var pending = (await pendingResponse.ReadJsonAsync()).GetProperty("pending");
            if (pending.GetArrayLength() == 1 && pending[0].GetProperty("step_id").GetString() == "announcer:1")
            {
                second = pending[0].Clone();
                break;
            }

            await Task.Delay(100, timeout.Token);
        }

        using var late = await reviewer.PostWithTimeoutAsync(first.GetProperty("reject_url").GetString()!, Json(new { reviewer_id = "dr.kim" }));
        using var badPause = await reviewer.PostWithTimeoutAsync($"/hitl/{runId}/reject?pause=seven", Json(new { reviewer_id = "dr.kim" }));
        using var meant = await reviewer.PostWithTimeoutAsync(second.GetProperty("reject_url").GetString()!, Json(new { reviewer_id = "dr.kim" }));

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("announcer:1", (await late.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badPause.StatusCode);
        Assert.Equal(HttpStatusCode.OK, meant.StatusCode);
        await WaitForStatusAsync(user, runId, "blocked");
    }

    [Fact]
    public async Task The_step_replay_of_a_paused_step_answers_its_escalated_record()
    {
        await using var api = Api("hitl-replay");
        using var user = api.CreateAuthenticatedClient(UserKey);
        var runId = await PauseAsync(user);

        using var response = await user.GetWithTimeoutAsync($"/traces/{runId}/steps/publisher:1/replay");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("DRAFT", await response.ReadTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_paused_run_ends_it_cancelled_and_closes_its_pause()
    {
        await using var api = Api("hitl-cancel");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var reviewer = api.CreateAuthenticatedClient(ReviewerKey);
        var runId = await PauseAsync(user);

        using var cancel = await user.PostWithTimeoutAsync($"/runs/{runId}/cancel", Json(new { }));
        await WaitForStatusAsync(user, runId, "cancelled");
        using var late = await reviewer.PostWithTimeoutAsync($"/hitl/{runId}/approve", Json(new { reviewer_id = "dr.lee" }));
        using var pending = await user.GetWithTimeoutAsync("/hitl/pending");

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("system:cancel", (await late.ReadJsonAsync()).GetProperty("reviewer_id").GetString());
        Assert.Empty((await pending.ReadJsonAsync()).GetProperty("pending").EnumerateArray());
    }

    [Theory]
    [InlineData("{}", "reviewer_id", "required")]
    [InlineData("""{"reviewer_id": ""}""", "reviewer_id", "1 to 200")]
    [InlineData("""{"reviewer_id": 7}""", "reviewer_id", "1 to 200")]
    [InlineData("""{"reviewer_id": "a", "notes": 5}""", "notes", "must be a string")]
    [InlineData("""{"reviewer_id": "a", "verdict": "yes"}""", "verdict", "unknown field")]
    [InlineData("""{"reviewer_id": "system:timeout"}""", "reviewer_id", "cannot start with 'system:'")]
    [InlineData("""{"reviewer_id": "a", "notes": "x\u0000y"}""", "notes", "NUL")]
    [InlineData("""[1]""", "body", "JSON object")]
    [InlineData("""{"reviewer_id": """, "body", "not valid JSON")]
    public async Task A_bad_decision_body_is_a_400_naming_the_field_and_leaves_the_pause_pending(string json, string field, string problem)
    {
        await using var api = Api("hitl-bad-" + Math.Abs(json.GetHashCode(StringComparison.Ordinal)));
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var reviewer = api.CreateAuthenticatedClient(ReviewerKey);
        var runId = await PauseAsync(user);

        using var response = await reviewer.PostWithTimeoutAsync($"/hitl/{runId}/approve", Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(field, body.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains(problem, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var pending = await user.GetWithTimeoutAsync("/hitl/pending");
        Assert.Single((await pending.ReadJsonAsync()).GetProperty("pending").EnumerateArray());
    }

    [Fact]
    public async Task Notes_over_10_KB_are_refused_and_notes_of_10_KB_are_kept()
    {
        await using var api = Api("hitl-notes");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var reviewer = api.CreateAuthenticatedClient(ReviewerKey);
        var runId = await PauseAsync(user);

        using var tooLong = await reviewer.PostWithTimeoutAsync($"/hitl/{runId}/approve",
            Json(new { reviewer_id = "dr.lee", notes = new string('é', 5 * 1024 + 1) }));
        using var justRight = await reviewer.PostWithTimeoutAsync($"/hitl/{runId}/approve",
            Json(new { reviewer_id = "dr.lee", notes = new string('n', 10 * 1024) }));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("notes", (await tooLong.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Equal(HttpStatusCode.OK, justRight.StatusCode);
        Assert.Equal(10 * 1024, (await justRight.ReadJsonAsync()).GetProperty("pause").GetProperty("notes").GetString()!.Length);
    }
}
