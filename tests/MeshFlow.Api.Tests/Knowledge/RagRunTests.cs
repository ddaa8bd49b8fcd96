using System.Net;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Tests.Http;

namespace MeshFlow.Api.Tests.Knowledge;

/// <summary>
/// A knowledge base filled over the API, then a run of a <c>kind: rag</c> workflow sent as YAML, then its trace: the
/// agent was given the numbered chunks, and the rag step's record lists the chunks it used.
/// </summary>
public sealed class RagRunTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_rag_run_gives_the_agent_numbered_sources_and_its_trace_lists_the_chunks_used()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var name = KnowledgeClient.NewName("handbook");
        using var created = await client.PostDocumentsAsync(name,
            ("leave", "leave.md", "Annual leave. Every employee receives twenty-five days of paid holiday per calendar year."),
            ("travel", "travel.md", "Business trips. Flights under six hours are booked in economy class through the travel agency."),
            ("security", "security.md", "Account security. Passwords are at least fourteen characters long and never reused."));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var yaml = $"""
            name: handbook-answers
            nodes:
              - id: retrieve
                kind: rag
                knowledge: {name}
                top_k: 1
                mode: keyword
              - id: answer
                model: scripted
                responses: ["Twenty-five days of paid holiday a year [1]."]
            edges:
              - from: retrieve
                to: answer
            """;

        var runId = await RunToEndAsync(client, yaml, "How many days of paid holiday per year?");
        using var trace = await client.GetWithTimeoutAsync($"/traces/{runId}");

        Assert.Equal(HttpStatusCode.OK, trace.StatusCode);
        var steps = (await trace.ReadJsonAsync()).GetProperty("steps").EnumerateArray().ToList();
        var rag = steps.Single(s => s.GetProperty("node_id").GetString() == "retrieve");
        var chunk = Assert.Single(rag.GetProperty("retrieved_chunks").EnumerateArray());
        Assert.Equal(1, chunk.GetProperty("number").GetInt32());
        Assert.Equal("leave", chunk.GetProperty("document_id").GetString());
        Assert.Equal("leave.md", chunk.GetProperty("source").GetString());
        Assert.Equal(0, chunk.GetProperty("position").GetInt32());
        Assert.NotEmpty(chunk.GetProperty("chunk_id").GetString()!);
        var answer = steps.Single(s => s.GetProperty("node_id").GetString() == "answer");
        var sent = answer.GetProperty("input_task").GetString()!;
        Assert.Contains("[1] leave.md, chunk 1:\nAnnual leave. Every employee receives twenty-five days", sent, StringComparison.Ordinal);
        Assert.Contains("Cite each source you use as [n]", sent, StringComparison.Ordinal);
        Assert.Equal("Twenty-five days of paid holiday a year [1].", answer.GetProperty("output_content").GetString());
        Assert.All(steps.Where(s => s.GetProperty("node_id").GetString() != "retrieve"), s =>
            Assert.False(s.TryGetProperty("retrieved_chunks", out var value) && value.ValueKind != JsonValueKind.Null));

        using var verify = await client.GetWithTimeoutAsync($"/traces/{runId}/verify");
        Assert.True((await verify.ReadJsonAsync()).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_run_whose_knowledge_base_does_not_exist_fails_naming_it()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.GlobexUserKey);
        var name = KnowledgeClient.NewName("nowhere");
        var yaml = $"""
            name: lost
            nodes:
              - id: retrieve
                kind: rag
                knowledge: {name}
            """;

        var runId = await RunToEndAsync(client, yaml, "anything");
        using var run = await client.GetWithTimeoutAsync($"/runs/{runId}");

        var view = await run.ReadJsonAsync();
        Assert.Equal("failed", view.GetProperty("status").GetString());
        Assert.Contains($"knowledge base '{name}' does not exist", view.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rag_node_with_a_bad_field_is_refused_with_its_line_and_column()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var body = JsonSerializer.Serialize(new { yaml = "name: t\nnodes:\n  - id: r\n    kind: rag\n    knowledge: handbook\n    top_k: 99\n", input = "x" });

        using var response = await client.PostWithTimeoutAsync("/runs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.ReadJsonAsync()).GetProperty("errors")[0];
        Assert.Contains("'top_k' of node 'r' must be at most 50", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((6, 12), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()));
    }

    // Starts the run and reads its events to run_end; returns its id.
    private static async Task<string> RunToEndAsync(HttpClient client, string yaml, string input)
    {
        var body = JsonSerializer.Serialize(new { yaml, input });
        using var accepted = await client.PostWithTimeoutAsync("/runs", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runId = (await accepted.ReadJsonAsync()).GetProperty("run_id").GetString()!;
        using var events = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events"), HttpCompletionOption.ResponseHeadersRead,
            TestContext.Current.CancellationToken);
        var streamed = await ServerSentEvents.ReadAllAsync(await events.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        Assert.Equal("run_end", streamed[^1].Event);
        return runId;
    }
}
