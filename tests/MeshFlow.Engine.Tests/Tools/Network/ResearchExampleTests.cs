using System.Text.Json;
using MeshFlow.Agents;
using MeshFlow.Agents.Resilience;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Testing.Providers;
using MeshFlow.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Tests.Tools.Network;

/// <summary>
/// examples/tools/research.yaml as it is, against local servers: a DuckDuckGo-format results page, a site with the
/// article, and a fake Anthropic API (its real wire format) whose model searches, fetches the first result and answers.
/// </summary>
public sealed class ResearchExampleTests
{
    private const string Key = "sk-ant-research-7f3a";
    private const string Question = "How did the Pharos of Alexandria guide ships?";

    [Fact]
    public async Task The_researcher_searches_fetches_the_first_result_and_the_page_text_reaches_the_model()
    {
        await using var pages = await LocalSite.StartAsync();
        pages.On("/robots.txt", 200, "text/plain", "User-agent: *\nDisallow: /private\n")
            .On("/articles/pharos", 200, "text/html; charset=utf-8", WebFetchToolTests.Article);
        var articleUrl = pages.Url("/articles/pharos").AbsoluteUri;
        await using var search = await LocalSite.StartAsync();
        search.On("/html/", context =>
        {
            context.Response.ContentType = "text/html; charset=UTF-8";
            return context.Response.WriteAsync(DuckDuckGoFixture.Page(context.Request.Query["q"].ToString(), articleUrl));
        });
        await using var anthropic = await FakeAnthropicServer.StartAsync(Key);
        anthropic.Enqueue(
            AnthropicTurn.ToolUse("web_search", JsonSerializer.Serialize(new { query = Question, max_results = 3 })) with { ToolUseId = "toolu_search" },
            AnthropicTurn.ToolUse("web_fetch", JsonSerializer.Serialize(new { url = articleUrl })) with { ToolUseId = "toolu_fetch" },
            AnthropicTurn.Text("A fire burned at its summit and a bronze mirror reflected it out to sea. ", $"Source: {articleUrl}"),
            AnthropicTurn.Text("- A fire at the summit\n", "- A bronze mirror cast its light\n", "- Smoke by day\n", $"Source: {articleUrl}"));
        var options = new MeshFlowEngineOptions();
        options.Providers.Connections["anthropic"] = LlmConnection.Parse($"Provider=anthropic;Endpoint={anthropic.BaseAddress};Key={Key};Model=claude-sonnet-4-5", "anthropic");
        options.Providers.Resilience = new ProviderResilienceOptions { MaxRetries = 0 };
        options.BuiltInTools.Network.SearchEndpoint = search.Url("/html/");
        options.BuiltInTools.Network.AllowPrivateAddresses = true;
        var workflow = WorkflowYaml.LoadFile(Path.Combine(AppContext.BaseDirectory, "examples", "tools", "research.yaml"));

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(options), workflow, Question, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(capture.Result.Status == RunStatus.Completed, $"{capture.Result.Status} {capture.Result.Error?.Message}");
        var calls = capture.Of<ToolCallEvent>().ToList();
        var results = capture.Of<ToolResultEvent>().ToList();
        Assert.Equal(["web_search", "web_fetch"], calls.Select(c => c.Name));
        Assert.Equal(["toolu_search", "toolu_fetch"], results.Select(r => r.CallId));
        Assert.Equal(articleUrl, JsonDocument.Parse(results[0].Result).RootElement[0].GetProperty("url").GetString());
        Assert.Contains("a great bronze mirror is said to have reflected its light", results[1].Result, StringComparison.Ordinal);
        Assert.Equal(1, pages.Hits("/articles/pharos"));

        // The page's text went back to the model in the researcher's third request, as Anthropic's tool_result.
        Assert.Equal(4, anthropic.Requests.Count);
        Assert.Contains("tool_result", anthropic.Requests[2].Body, StringComparison.Ordinal);
        Assert.Contains("a great bronze mirror is said to have reflected its light", anthropic.Requests[2].Body, StringComparison.Ordinal);
        var researcher = capture.Result.Steps.Single(s => s.NodeId == "researcher");
        Assert.EndsWith($"Source: {articleUrl}", researcher.Output, StringComparison.Ordinal);
        Assert.Equal(["web_search", "web_fetch"], researcher.ToolCalls.Select(c => c.Name));
        Assert.EndsWith($"Source: {articleUrl}", capture.Result.Output, StringComparison.Ordinal);
    }
}
