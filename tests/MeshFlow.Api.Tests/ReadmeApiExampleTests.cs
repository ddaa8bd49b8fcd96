using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Tests.Http;

namespace MeshFlow.Api.Tests;

/// <summary>The README's "Calling the API" examples, against the API with the example workflows registered (as the AppHost does).</summary>
public sealed class ReadmeApiExampleTests(ReadmeApiExampleTests.Factory factory) : IClassFixture<ReadmeApiExampleTests.Factory>
{
    public sealed class Factory() : ApiFactory(new Dictionary<string, string?>
    {
        ["MESHFLOW_WORKFLOWS_DIR"] = Path.Combine(AppContext.BaseDirectory, "examples"),
    });

    private const string StartBody = """{"workflow": "review", "input": "A mutual NDA", "policy": {"mode": "strict", "max_steps": 20}}""";
    private const string StreamBody = """{"workflow": "review", "input": "A mutual NDA"}""";

    [Fact]
    public async Task The_readme_run_starts_by_name_with_a_policy_override_and_an_idempotency_key_and_its_routes_answer()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var start = new HttpRequestMessage(HttpMethod.Post, "/runs") { Content = new StringContent(StartBody, Encoding.UTF8, "application/json") };
        start.Headers.Add("Idempotency-Key", "order-17");
        using var accepted = await client.SendWithTimeoutAsync(start);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runId = (await accepted.ReadJsonAsync()).GetProperty("run_id").GetString()!;

        using var events = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events"), HttpCompletionOption.ResponseHeadersRead,
            TestContext.Current.CancellationToken);
        var streamed = await ServerSentEvents.ReadAllAsync(await events.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        Assert.Equal("strict", streamed[0].Data.GetProperty("data").GetProperty("policy").GetString());
        Assert.Equal("run_end", streamed[^1].Event);

        foreach (var path in new[]
        {
            $"/runs/{runId}", "/runs?status=completed&limit=20", $"/traces/{runId}", $"/traces/{runId}/steps/writer:1/replay", $"/traces/{runId}/verify",
            "/policies", "/agents",
        })
        {
            using var response = await client.GetWithTimeoutAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var resumed = new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events");
        resumed.Headers.Add("Last-Event-ID", "17");
        using var resumedResponse = await client.SendWithTimeoutAsync(resumed);
        Assert.Equal(HttpStatusCode.OK, resumedResponse.StatusCode);
        using var cancel = await client.PostWithTimeoutAsync($"/runs/{runId}/cancel", new StringContent(""));
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
    }

    [Fact]
    public async Task The_readme_stream_answers_sse_and_ndjson()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var sse = await client.PostWithTimeoutAsync("/stream", new StringContent(StreamBody, Encoding.UTF8, "application/json"));
        using var ndjsonRequest = new HttpRequestMessage(HttpMethod.Post, "/stream") { Content = new StringContent(StreamBody, Encoding.UTF8, "application/json") };
        ndjsonRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        using var ndjson = await client.SendWithTimeoutAsync(ndjsonRequest);

        Assert.Equal("text/event-stream", sse.Content.Headers.ContentType?.MediaType);
        Assert.Contains("event: run_end", await sse.ReadTextAsync(), StringComparison.Ordinal);
        Assert.Equal("application/x-ndjson", ndjson.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"kind\":\"run_end\"", await ndjson.ReadTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_readme_validation_of_the_example_workflow_answers_valid()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var yaml = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "examples", "review.yaml"), TestContext.Current.CancellationToken);
        using var response = await client.PostWithTimeoutAsync("/workflows/validate", new StringContent(yaml, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("valid").GetBoolean());
    }
}
