using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;
using MeshFlow.Tests.Http;

namespace MeshFlow.Api.Tests.Workflows;

/// <summary>
/// The API as <c>dotnet run --project MeshFlow.Api</c> starts it, with no <c>MESHFLOW_WORKFLOWS_DIR</c>: it serves the
/// example workflows it ships with, by name, and lists them at <c>GET /workflows</c>.
/// </summary>
public sealed class ExampleWorkflowTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_run_naming_the_review_example_completes_with_no_workflow_folder_configured()
    {
        Assert.False(factory.Settings.ContainsKey("MESHFLOW_WORKFLOWS_DIR"));
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var accepted = await client.PostWithTimeoutAsync("/runs", JsonContent.Create(new { workflow = "review", input = "A mutual NDA" }));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runId = (await accepted.ReadJsonAsync()).GetProperty("run_id").GetString()!;

        using var events = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events"), HttpCompletionOption.ResponseHeadersRead,
            TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        var streamed = await ServerSentEvents.ReadAllAsync(await events.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        Assert.Equal(("run_end", "completed"), (streamed[^1].Event, streamed[^1].Data.GetProperty("data").GetProperty("status").GetString()));
        Assert.Contains(streamed, e => e.Event == "step_end" && e.Data.GetProperty("node_id").GetString() == "critic");
    }

    [Fact]
    public async Task Get_workflows_lists_the_shipped_examples_with_description_node_count_and_source()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.GetWithTimeoutAsync("/workflows");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var workflows = (await response.ReadJsonAsync()).GetProperty("workflows").EnumerateArray().ToDictionary(w => w.GetProperty("name").GetString()!);
        Assert.Equal(["contract", "due-diligence", "memory", "provider-failover", "review", "triage"], workflows.Keys.Order(StringComparer.Ordinal));
        var review = workflows["review"];
        Assert.Equal(2, review.GetProperty("nodes").GetInt32());
        Assert.Equal("examples", review.GetProperty("source").GetString());
        Assert.Equal("review.yaml", review.GetProperty("file").GetString());
        Assert.StartsWith("Generate, critique, refine:", review.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("(at most three passes).", review.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(review.GetProperty("runnable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, review.GetProperty("problem").ValueKind);
        Assert.Equal(5, workflows["due-diligence"].GetProperty("nodes").GetInt32());
    }

    [Fact]
    public async Task An_example_that_needs_an_unconfigured_connection_is_listed_as_not_runnable_and_a_run_of_it_is_refused_naming_the_connection()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var list = await client.GetWithTimeoutAsync("/workflows");
        using var run = await client.PostWithTimeoutAsync("/runs", JsonContent.Create(new { workflow = "provider-failover", input = "x" }));

        var failover = (await list.ReadJsonAsync()).GetProperty("workflows").EnumerateArray().Single(w => w.GetProperty("name").GetString() == "provider-failover");
        Assert.False(failover.GetProperty("runnable").GetBoolean());
        Assert.Contains("anthropic", failover.GetProperty("problem").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.BadRequest, run.StatusCode);
        var problem = await run.ReadJsonAsync();
        Assert.Equal("workflow", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Equal(failover.GetProperty("problem").GetString(), problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Get_workflows_without_a_key_is_401()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetWithTimeoutAsync("/workflows");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_configured_workflow_folder_replaces_the_examples()
    {
        var folder = Directory.CreateTempSubdirectory("meshflow-workflows-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "mine.yml"), """
                name: mine
                description: One offline step.
                nodes:
                  - id: only
                    model: offline
                """, TestContext.Current.CancellationToken);
            await using var api = ApiFactory.Create(new Dictionary<string, string?> { ["MESHFLOW_WORKFLOWS_DIR"] = folder.FullName });
            using var client = api.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

            using var response = await client.GetWithTimeoutAsync("/workflows");
            using var review = await client.PostWithTimeoutAsync("/runs", JsonContent.Create(new { workflow = "review", input = "x" }));

            var mine = Assert.Single((await response.ReadJsonAsync()).GetProperty("workflows").EnumerateArray());
            Assert.Equal(("mine", "One offline step.", 1, "MESHFLOW_WORKFLOWS_DIR", "mine.yml"), (mine.GetProperty("name").GetString(),
                mine.GetProperty("description").GetString(), mine.GetProperty("nodes").GetInt32(), mine.GetProperty("source").GetString(), mine.GetProperty("file").GetString()));
            Assert.Equal(HttpStatusCode.BadRequest, review.StatusCode);
            Assert.Contains("unknown workflow 'review' (registered: mine)", (await review.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
