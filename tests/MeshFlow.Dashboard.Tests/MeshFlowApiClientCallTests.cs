using System.Net;
using System.Text;
using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Tests.Support;

namespace MeshFlow.Dashboard.Tests;

public sealed class MeshFlowApiClientCallTests
{
    private const string Key = "unit-test-key-4e1b";

    [Fact]
    public async Task Every_call_carries_the_signed_in_key_in_a_header_and_never_in_the_url()
    {
        HttpRequestMessage? sent = null;
        var client = Client(request =>
        {
            sent = request;
            return Json(HttpStatusCode.OK, """{"runs":[],"next_cursor":null}""");
        });

        await client.ListRunsAsync(new RunListQuery { Status = "completed" }, TestContext.Current.CancellationToken);

        Assert.NotNull(sent);
        Assert.Equal([Key], sent.Headers.GetValues(MeshFlowApiClient.ApiKeyHeader));
        Assert.DoesNotContain(Key, sent.RequestUri!.ToString(), StringComparison.Ordinal);
        Assert.Equal("/runs?status=completed", sent.RequestUri.PathAndQuery);
    }

    [Fact]
    public async Task Without_a_signed_in_key_no_call_is_made()
    {
        var called = false;
        var client = Client(_ =>
        {
            called = true;
            return Json(HttpStatusCode.OK, "{}");
        }, key: null);

        var error = await Assert.ThrowsAsync<MeshFlowApiException>(() => client.ListWorkflowsAsync(TestContext.Current.CancellationToken));

        Assert.False(called);
        Assert.Contains("sign in", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_run_list_without_totals_reads_them_as_missing_and_with_them_reads_them()
    {
        var client = Client(_ => Json(HttpStatusCode.OK, """
            {"runs":[
              {"run_id":"r1","status":"running","workflow":"w","created_at":"2026-12-07T10:00:00Z","updated_at":"2026-12-07T10:00:01Z"},
              {"run_id":"r2","status":"completed","workflow":"w","created_at":"2026-12-07T10:00:00Z","updated_at":"2026-12-07T10:00:05Z",
               "steps":3,"tokens":1234,"cost_usd":0.0042,"duration_ms":5000}
            ],"next_cursor":"c2"}
            """));

        var page = await client.ListRunsAsync(new RunListQuery(), TestContext.Current.CancellationToken);

        Assert.Equal("c2", page.NextCursor);
        Assert.Null(page.Runs[0].Steps);
        Assert.Null(page.Runs[0].CostUsd);
        Assert.Equal((3, 1234L, 0.0042m, 5000d), (page.Runs[1].Steps, page.Runs[1].Tokens, page.Runs[1].CostUsd, page.Runs[1].DurationMs));
    }

    [Fact]
    public async Task A_problem_answer_becomes_an_error_with_its_detail()
    {
        var client = Client(_ => Problem(HttpStatusCode.NotFound, "Run not found", "no run 'r9' exists"));

        var error = await Assert.ThrowsAsync<MeshFlowApiException>(() => client.GetRunAsync("r9", TestContext.Current.CancellationToken));

        Assert.Equal("no run 'r9' exists", error.Message);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task A_refused_key_reads_as_not_accepted_without_the_key()
    {
        var client = Client(_ => Problem(HttpStatusCode.Unauthorized, "Unauthorized", "The API key is not valid."));

        var error = await Assert.ThrowsAsync<MeshFlowApiException>(() => client.ListWorkflowsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("not accepted", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_API_is_a_clear_error_and_marks_the_API_unreachable_until_it_answers()
    {
        var up = false;
        var availability = new ApiAvailability();
        var client = Client(_ => up ? Json(HttpStatusCode.OK, """{"workflows":[]}""") : throw new HttpRequestException("Connection refused"), availability: availability);

        var error = await Assert.ThrowsAsync<MeshFlowApiException>(() => client.ListWorkflowsAsync(TestContext.Current.CancellationToken));
        Assert.True(error.IsUnreachable);
        Assert.Equal("The MeshFlow API cannot be reached.", error.Message);
        Assert.False(availability.IsReachable);

        up = true;
        await client.ListWorkflowsAsync(TestContext.Current.CancellationToken);
        Assert.True(availability.IsReachable);
    }

    [Fact]
    public async Task A_key_check_answers_the_reason_for_a_refused_key_and_unknown_identity_for_an_accepted_one()
    {
        HttpRequestMessage? sent = null;
        var accepted = Client(request =>
        {
            sent = request;
            return Json(HttpStatusCode.OK, """{"runs":[],"next_cursor":null}""");
        }, key: null);
        var refused = Client(_ => Problem(HttpStatusCode.Unauthorized, "Unauthorized", "The API key is not valid."), key: null);

        var good = await accepted.CheckKeyAsync("candidate-key", TestContext.Current.CancellationToken);
        var bad = await refused.CheckKeyAsync("wrong-key", TestContext.Current.CancellationToken);

        Assert.True(good.Accepted);
        Assert.Equal(new SignedInIdentity(null, null), good.Identity);
        Assert.Equal(["candidate-key"], sent!.Headers.GetValues(MeshFlowApiClient.ApiKeyHeader));
        Assert.False(bad.Accepted);
        Assert.Contains("not accepted", bad.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_workflow_is_a_result_listing_each_problem_at_its_line()
    {
        var client = Client(_ => Json(HttpStatusCode.BadRequest, """
            {"title":"The workflow is invalid","detail":"2 problems were found","status":400,
             "errors":[{"code":"missing_field","message":"'nodes' is required","path":"nodes","line":1,"column":1},
                       {"code":"unknown_node","message":"edge to 'x'","path":"edges[0].to","line":4,"column":9}]}
            """));

        var result = await client.ValidateWorkflowAsync("name: w", TestContext.Current.CancellationToken);

        Assert.False(result.Valid);
        Assert.Equal([(1, 1), (4, 9)], result.Problems.Select(p => (p.Line!.Value, p.Column!.Value)));
    }

    private static MeshFlowApiClient Client(
        Func<HttpRequestMessage, HttpResponseMessage> respond, string? key = Key, IApiAvailability? availability = null) =>
        new(new HttpClient(new StubHttpMessageHandler(respond)) { BaseAddress = new Uri("http://api.test") },
            new FixedApiKey(key), availability ?? new ApiAvailability());

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Problem(HttpStatusCode status, string title, string detail) =>
        new(status)
        {
            Content = new StringContent($$"""{"title":"{{title}}","detail":"{{detail}}","status":{{(int)status}}}""", Encoding.UTF8, "application/problem+json"),
        };
}
