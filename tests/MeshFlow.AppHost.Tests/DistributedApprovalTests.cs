using System.Globalization;
using System.Net;
using System.Text.Json;
using MeshFlow.AppHost.Tests.Support;
using MeshFlow.Tests.Http;
using StackExchange.Redis;
using static MeshFlow.AppHost.Tests.Support.ApprovalApi;

namespace MeshFlow.AppHost.Tests;

/// <summary>
/// Human approval across the topology: a run pauses on one worker, its notification is a signed webhook delivered
/// by whichever worker's dispatcher claims it, and a reviewer's decision at the api is carried out by any worker.
/// </summary>
[Collection(SharedAppHost.Name)]
public sealed class DistributedApprovalTests(AppHostFixture fixture)
{
    private const string ScriptedDrafter = """
          - id: drafter
            model: scripted
            responses: [DRAFT]
        """;

    // Streams for 2 s, long enough to read which worker holds the run's lease.
    private const string SlowDrafter = """
          - id: drafter
            model: slow
        """;

    private const string HumanGate = """
        name: human-gate
        nodes:
          - id: drafter
            model: scripted
            responses: [DRAFT]
          - id: legal
            kind: human
            instructions: Check the indemnity clause before the draft goes out.
          - id: sender
            model: scripted
            responses: [SENT]
        edges:
          - from: drafter
            to: legal
          - from: legal
            to: sender
        """;

    private static readonly StandardWebhookVerifier Verifier = new(AppHostFixture.AcmeWebhookSecret);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A drafter, then a publisher declared high risk: strict waits for a human before the publisher runs.</summary>
    private static string Publish(Uri? webhook, string drafter = ScriptedDrafter) => $"""
        name: publish
        policy:
          mode: strict
        {(webhook is null ? "" : $"  hitl:\n    webhook_url: {webhook}")}
        nodes:
        {drafter}
          - id: publisher
            model: scripted
            risk: high
            responses: [PUBLISHED]
        edges:
          - from: drafter
            to: publisher
        """;

    [Fact]
    public async Task A_high_risk_step_pauses_with_a_signed_webhook_and_after_its_worker_dies_the_approval_completes_the_run_on_another()
    {
        // This test kills a worker; another must be alive to take the decision (an earlier test may have killed one).
        await fixture.Workers.EnsureAllRunningAsync(Token);
        await using var receiver = await WebhookReceiver.StartAsync(Token);
        using var acme = fixture.CreateApiClient(AppHostFixture.AcmeApprovalsKey);
        using var reviewer = fixture.CreateApiClient(AppHostFixture.AcmeReviewerKey);
        var runId = await StartAsync(acme, Publish(receiver.Url, SlowDrafter));

        var (events, pausingWorker) = await FollowToPauseAsync(acme, runId);
        var pause = PauseData(events);
        Assert.Equal(("high", "dasc"), (pause.GetProperty("tier").GetString(), pause.GetProperty("block_reason").GetString()));
        Assert.Equal("paused", (await GetJsonAsync(acme, $"/runs/{runId}")).GetProperty("status").GetString());
        var pending = (await GetJsonAsync(reviewer, "/hitl/pending")).GetProperty("pending").EnumerateArray()
            .Single(p => p.GetProperty("run_id").GetString() == runId);
        Assert.Equal(("publisher", "publisher:1", "high", "pending"), (pending.GetProperty("node_id").GetString(),
            pending.GetProperty("step_id").GetString(), pending.GetProperty("tier").GetString(), pending.GetProperty("state").GetString()));

        var announced = await receiver.WaitForAsync(w => w.Type == "hitl.pause", TestTimeouts.Default, Token);
        Assert.Null(Verifier.Problem(announced));
        Assert.Equal(announced.Headers["webhook-signature"], announced.Headers["X-MeshFlow-Signature"]);
        var notice = announced.Json();
        Assert.Equal((runId, "publisher", "publisher:1", "high"), (notice.GetProperty("run_id").GetString(), notice.GetProperty("node_id").GetString(),
            notice.GetProperty("step_id").GetString(), notice.GetProperty("tier").GetString()));

        // The links name the pause they decide (its ledger record), so a late click cannot decide a later pause.
        var pauseSeq = (await GetJsonAsync(acme, $"/traces/{runId}")).GetProperty("steps").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == "hitl_pause").GetProperty("seq").GetInt64();
        var approveUrl = new Uri(notice.GetProperty("approve_url").GetString()!);
        var rejectUrl = new Uri(notice.GetProperty("reject_url").GetString()!);
        Assert.True(approveUrl.IsAbsoluteUri, $"approve_url {approveUrl} is absolute: MESHFLOW_PUBLIC_URL reaches the workers");
        Assert.Equal(($"/hitl/{runId}/approve", $"?pause={pauseSeq}"), (approveUrl.AbsolutePath, approveUrl.Query));
        Assert.Equal(($"/hitl/{runId}/reject", $"?pause={pauseSeq}"), (rejectUrl.AbsolutePath, rejectUrl.Query));
        Assert.Equal(pending.GetProperty("approve_url").GetString(), notice.GetProperty("approve_url").GetString());

        // The delivery is recorded before the kill, so the kill cannot land between a send and its record.
        await WaitForDeliveriesAsync(acme, runId, d => Has(d, "hitl.pause", "delivered"), "the pause notification delivered");
        await fixture.Workers.KillAsync(pausingWorker, Token);
        try
        {
            // Through the very link the notification carried.
            using var approved = await reviewer.PostAsync(approveUrl, Json(new { reviewer_id = "dr.lee", notes = "fine to publish" }), Token);
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
            Assert.Equal("approved", (await ReadJsonAsync(approved)).GetProperty("decision").GetString());

            var run = await WaitForStatusAsync(acme, runId, "completed");
            Assert.Equal("PUBLISHED", run.GetProperty("output").GetString());
            var resumed = await ReadEventsAsync(acme, runId, events[^1].Id);
            Assert.Equal("hitl_resolved", resumed[0].Event);
            Assert.Single(resumed, e => e.Event == "step_end" && e.StepId == "publisher:1");
            Assert.Equal(("run_end", "completed"), (resumed[^1].Event, resumed[^1].Data.GetProperty("data").GetProperty("status").GetString()));

            var resolved = await receiver.WaitForAsync(w => w.Type == "hitl.resolved", TestTimeouts.Default, Token);
            Assert.Null(Verifier.Problem(resolved));
            var decision = resolved.Json();
            Assert.Equal((runId, "approved", "dr.lee"), (decision.GetProperty("run_id").GetString(), decision.GetProperty("decision").GetString(),
                decision.GetProperty("reviewer_id").GetString()));
            Assert.NotEqual(announced.Id, resolved.Id);

            Assert.True((await GetJsonAsync(acme, $"/traces/{runId}/verify")).GetProperty("valid").GetBoolean());
            var deliveries = await WaitForDeliveriesAsync(acme, runId, d => Has(d, "hitl.pause", "delivered") && Has(d, "hitl.resolved", "delivered"),
                "both notifications delivered");
            Assert.Equal(2, deliveries.Length);
            Assert.All(deliveries, delivery =>
            {
                Assert.Equal(receiver.Url.ToString(), delivery.GetProperty("url").GetString());
                var last = delivery.GetProperty("attempts").EnumerateArray().Last();
                Assert.Equal(("delivered", 200), (last.GetProperty("outcome").GetString(), last.GetProperty("status_code").GetInt32()));
            });
        }
        finally
        {
            await fixture.Workers.EnsureAllRunningAsync(Token);
        }
    }

    [Fact]
    public async Task A_human_node_pauses_with_its_instructions_and_a_rejection_ends_the_run_blocked_with_hitl_rejected()
    {
        using var acme = fixture.CreateApiClient(AppHostFixture.AcmeApprovalsKey);
        using var reviewer = fixture.CreateApiClient(AppHostFixture.AcmeReviewerKey);
        var (runId, events) = await StartPausedAsync(acme, HumanGate);
        Assert.Equal("legal:1", events.Single(e => e.Event == "hitl_pause").StepId);
        var pending = (await GetJsonAsync(reviewer, "/hitl/pending")).GetProperty("pending").EnumerateArray()
            .Single(p => p.GetProperty("run_id").GetString() == runId);
        Assert.Equal("Check the indemnity clause before the draft goes out.", pending.GetProperty("context").GetProperty("instructions").GetString());

        using var rejected = await DecideAsync(reviewer, runId, "reject", "dr.lee", "uncapped indemnity");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);

        await WaitForStatusAsync(acme, runId, "blocked");
        var resumed = await ReadEventsAsync(acme, runId, events[^1].Id);
        Assert.Equal(("run_end", "blocked"), (resumed[^1].Event, resumed[^1].Data.GetProperty("data").GetProperty("status").GetString()));
        var records = (await GetJsonAsync(acme, $"/traces/{runId}")).GetProperty("steps").EnumerateArray().ToList();
        var decision = Assert.Single(records, r => r.GetProperty("kind").GetString() == "hitl_decision");
        Assert.Equal(("legal:1", "blocked", "hitl_rejected"), (decision.GetProperty("step_id").GetString(), decision.GetProperty("verdict").GetString(),
            decision.GetProperty("block_reason").GetString()));
        Assert.DoesNotContain(records, r => r.GetProperty("step_id").GetString() == "sender:1");
        Assert.True((await GetJsonAsync(acme, $"/traces/{runId}/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Only_a_reviewer_of_the_run_s_tenant_decides_and_only_once_user_keys_get_403_other_tenants_404_a_second_decision_409()
    {
        using var acme = fixture.CreateApiClient(AppHostFixture.AcmeApprovalsKey);
        using var reviewer = fixture.CreateApiClient(AppHostFixture.AcmeReviewerKey);
        using var globex = fixture.CreateApiClient(AppHostFixture.GlobexKey);
        using var globexReviewer = fixture.CreateApiClient(AppHostFixture.GlobexReviewerKey);
        var (runId, _) = await StartPausedAsync(acme, Publish(webhook: null));

        using var byUser = await DecideAsync(acme, runId, "approve", "eve");
        using var byOtherTenant = await DecideAsync(globexReviewer, runId, "approve", "mallory");
        using var otherTenantsDeliveries = await globex.GetAsync(new Uri($"/hitl/{runId}/deliveries", UriKind.Relative), Token);
        var otherTenantsPending = (await GetJsonAsync(globexReviewer, "/hitl/pending")).GetProperty("pending").EnumerateArray();

        Assert.Equal(HttpStatusCode.Forbidden, byUser.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOtherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherTenantsDeliveries.StatusCode);
        Assert.DoesNotContain(otherTenantsPending, p => p.GetProperty("run_id").GetString() == runId);
        Assert.Equal("paused", (await GetJsonAsync(acme, $"/runs/{runId}")).GetProperty("status").GetString());

        using var approved = await DecideAsync(reviewer, runId, "approve", "dr.lee");
        using var again = await DecideAsync(reviewer, runId, "reject", "dr.kim");

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = await ReadJsonAsync(again);
        Assert.Equal(("approved", "dr.lee"), (problem.GetProperty("decision").GetString(), problem.GetProperty("reviewer_id").GetString()));
        Assert.Equal("PUBLISHED", (await WaitForStatusAsync(acme, runId, "completed")).GetProperty("output").GetString());
    }

    [Theory]
    [InlineData(Failure.Answers503)]
    [InlineData(Failure.Down)]
    public async Task A_pause_notification_the_receiver_failed_is_delivered_by_the_retry_once_the_receiver_recovers(Failure failure)
    {
        await using var receiver = await WebhookReceiver.StartAsync(Token);
        if (failure == Failure.Answers503)
        {
            receiver.AnswerWith = (int)HttpStatusCode.ServiceUnavailable;
        }
        else
        {
            await receiver.StopAsync();
        }

        using var acme = fixture.CreateApiClient(AppHostFixture.AcmeApprovalsKey);
        using var reviewer = fixture.CreateApiClient(AppHostFixture.AcmeReviewerKey);
        var (runId, _) = await StartPausedAsync(acme, Publish(receiver.Url));

        // A receiver that answers can say when an attempt came; one that is down cannot, so the deliveries are polled.
        if (failure == Failure.Answers503)
        {
            await receiver.WaitForAsync(w => w.Type == "hitl.pause", TestTimeouts.Default, Token);
        }

        var failed = await WaitForDeliveriesAsync(acme, runId, d => d.Any(m => m.GetProperty("attempts").GetArrayLength() > 0), "a failed attempt");
        var message = Assert.Single(failed);
        var first = Assert.Single(message.GetProperty("attempts").EnumerateArray());
        Assert.Equal(("hitl.pause", "pending"), (message.GetProperty("type").GetString(), message.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.String, message.GetProperty("next_attempt_at").ValueKind);
        if (failure == Failure.Answers503)
        {
            Assert.Equal(("http_error", 503), (first.GetProperty("outcome").GetString(), first.GetProperty("status_code").GetInt32()));
            receiver.AnswerWith = (int)HttpStatusCode.OK;
        }
        else
        {
            Assert.Equal("network_error", first.GetProperty("outcome").GetString());
            await receiver.StartAgainAsync(Token);
        }

        var retried = await receiver.WaitForAsync(w => w.Type == "hitl.pause" && w.AnsweredWith == (int)HttpStatusCode.OK, TestTimeouts.Default, Token);
        var deliveries = await WaitForDeliveriesAsync(acme, runId, d => Has(d, "hitl.pause", "delivered"), "the retry delivered");
        var attempts = Assert.Single(deliveries).GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, attempts.Count), attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal(("delivered", 200), (attempts[^1].GetProperty("outcome").GetString(), attempts[^1].GetProperty("status_code").GetInt32()));
        Assert.All(attempts.SkipLast(1), a => Assert.NotEqual("delivered", a.GetProperty("outcome").GetString()));

        // Every attempt carries the message's id and a signature made afresh for its own timestamp.
        var received = receiver.Received;
        Assert.Equal(message.GetProperty("id").GetString(), retried.Id);
        Assert.All(received, webhook => Assert.Null(Verifier.Problem(webhook)));
        Assert.All(received, webhook => Assert.Equal((runId, retried.Id), (webhook.RunId, webhook.Id)));
        Assert.Equal(failure == Failure.Answers503 ? attempts.Count : 1, received.Count);

        // The decision's notice reaches the recovered receiver at once; none is left to retry against a receiver that is gone.
        using var rejected = await DecideAsync(reviewer, runId, "reject", "dr.lee", "test over");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var resolved = await receiver.WaitForAsync(w => w.Type == "hitl.resolved", TestTimeouts.Default, Token);
        Assert.Equal((runId, "rejected"), (resolved.RunId, resolved.Json().GetProperty("decision").GetString()));
    }

    /// <summary>How the receiver fails the first attempt.</summary>
    public enum Failure
    {
        Answers503,
        Down,
    }

    /// <summary>The run's events until it pauses, and the process id of the worker that ran it up to the pause.</summary>
    private async Task<(List<ServerSentEvent> Events, int PausingWorker)> FollowToPauseAsync(HttpClient client, string runId)
    {
        var events = new List<ServerSentEvent>();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
        await using var stream = ServerSentEvents.ReadAsync(await response.Content.ReadAsStreamAsync(Token), Token).GetAsyncEnumerator(Token);
        while (await stream.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Run, Token))
        {
            events.Add(stream.Current);
            if (stream.Current.Event == "token_delta")
            {
                break;
            }
        }

        // The drafter is streaming: the worker executing the run holds its lease, and keeps it until the run pauses.
        var worker = await LeaseHolderAsync(runId);
        while (await stream.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Run, Token))
        {
            events.Add(stream.Current);
        }

        AssertPaused(events);
        return (events, worker);
    }

    /// <summary>The process id of the worker holding the run's lease; the lease's value names it: <c>&lt;machine&gt;-&lt;pid&gt;#...</c>.</summary>
    private async Task<int> LeaseHolderAsync(string runId)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync("redis")).WaitAsync(TestTimeouts.Default, Token);
        var holder = (string?)await redis.GetDatabase().StringGetAsync($"meshflow:lease:acme/{runId}");
        Assert.NotNull(holder);
        var consumer = holder.Split('#')[0];
        return int.Parse(consumer[(consumer.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);
    }
}
