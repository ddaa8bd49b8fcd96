using System.Net;
using System.Text;
using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Tests.Support;

namespace MeshFlow.Dashboard.Tests.RunDetail;

/// <summary>The API calls the run page adds: each one's path, and the key in its header only.</summary>
public sealed class RunPageCallTests
{
    private const string Key = "run-page-key-88a1";

    [Fact]
    public async Task A_step_replay_escapes_its_ids_and_reads_the_tool_calls()
    {
        HttpRequestMessage? sent = null;
        var api = Client(request =>
        {
            sent = request;
            return Json("""
                {"run_id":"r 1","step_id":"writer:1","seq":2,"node_id":"writer","agent_id":"writer","input_task":"in","output":"out",
                 "tool_calls":[{"call_id":"call_1","name":"search","arguments":"{\"q\":\"x\"}","result":"found","duration_ms":12.5,"risk_tier":"low"}],
                 "model":"scripted","offline":false,"tokens_input":3,"tokens_output":4,"tokens_estimated":true,"redacted":false}
                """);
        });

        var replay = await api.GetStepReplayAsync("r 1", "writer:1", TestContext.Current.CancellationToken);

        Assert.Equal("/traces/r%201/steps/writer%3A1/replay", sent!.RequestUri!.AbsolutePath);
        Assert.Equal([Key], sent.Headers.GetValues(MeshFlowApiClient.ApiKeyHeader));
        var call = Assert.Single(replay.ToolCalls);
        Assert.Equal(("search", "{\"q\":\"x\"}", "found", "low"), (call.Name, call.Arguments, call.Result, call.RiskTier));
        Assert.Equal((3L, 4L, "scripted"), (replay.TokensInput, replay.TokensOutput, replay.Model));
    }

    [Fact]
    public async Task Cancelling_an_ended_run_throws_the_apis_reason()
    {
        HttpRequestMessage? sent = null;
        var api = Client(request =>
        {
            sent = request;
            return new HttpResponseMessage(HttpStatusCode.Conflict)
            {
                Content = new StringContent("""{"title":"Conflict","detail":"run 'r1' already ended (completed); there is nothing to cancel","status":409}""",
                    Encoding.UTF8, "application/problem+json"),
            };
        });

        var error = await Assert.ThrowsAsync<MeshFlowApiException>(() => api.CancelRunAsync("r1", TestContext.Current.CancellationToken));

        Assert.Equal(HttpMethod.Post, sent!.Method);
        Assert.Equal("/runs/r1/cancel", sent.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Contains("already ended", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trace_reads_each_steps_verdict_reason_risk_and_findings()
    {
        var api = Client(_ => Json("""
            {"run_id":"r1","status":"blocked","workflow":"w","steps":[
              {"seq":1,"step_id":null,"node_id":null,"agent_id":null,"kind":"run_start","verdict":null,"cost_usd":0,"tokens_used":0,"duration_ms":0,
               "blocked":false,"redacted":false,"ts":"2026-12-07T12:00:00Z","prev_hash":"a","entry_hash":"b"},
              {"seq":2,"step_id":"critic:1","node_id":"critic","agent_id":"critic","kind":"step","verdict":"blocked","uncertainty":0.25,"cost_usd":0.0012,
               "tokens_used":40,"duration_ms":1500,"blocked":true,"block_reason":"guardian","redacted":false,"ts":"2026-12-07T12:00:02Z",
               "prev_hash":"b","entry_hash":"c","agent_did":"did:key:z6Mk","block_detail":"a secret in the output",
               "risk":{"tier":"high","rule":"declared","action":"model","detail":null},
               "guardian":[{"signal":"openai_key","source":"output","action":"block"}]}]}
            """));

        var trace = await api.GetRunTraceAsync("r1", TestContext.Current.CancellationToken);

        Assert.False(trace.Steps[0].IsStep);
        var critic = trace.Steps[1];
        Assert.True(critic.IsStep);
        Assert.Equal(("blocked", "guardian", "a secret in the output", "high"), (critic.Verdict, critic.BlockReason, critic.BlockDetail, critic.Risk?.Tier));
        Assert.Equal("openai_key", Assert.Single(critic.Guardian!).Signal);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 12, 0, 0, 500, TimeSpan.Zero), critic.Start);
    }

    private static MeshFlowApiClient Client(Func<HttpRequestMessage, HttpResponseMessage> respond) =>
        new(new HttpClient(new StubHttpMessageHandler(respond)) { BaseAddress = new Uri("http://api.test") },
            new FixedApiKey(Key), new ApiAvailability());

    private static HttpResponseMessage Json(string body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
