using System.Text.Json.Nodes;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tests.Tools.Network;

public sealed class WebSearchToolTests
{
    private const string First = "https://example.org/pharos?from=search&lang=en";

    [Fact]
    public async Task Results_of_a_duckduckgo_page_come_back_as_title_url_and_snippet_without_the_ad()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/html/", context =>
        {
            context.Response.ContentType = "text/html; charset=UTF-8";
            return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response,
                DuckDuckGoFixture.Page(context.Request.Query["q"].ToString(), First));
        });
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site, options => options.SearchEndpoint = site.Url("/html/")));

        var results = JsonNode.Parse(await tools.InvokeAsync(BuiltInToolNames.WebSearch, ("query", "pharos of alexandria"), ("max_results", 2)))!.AsArray();

        Assert.Equal(2, results.Count);
        Assert.Equal("The Pharos of Alexandria: how the lighthouse worked", (string)results[0]!["title"]!);
        Assert.Equal(First, (string)results[0]!["url"]!);
        Assert.StartsWith("The Pharos stood on the island", (string)results[0]!["snippet"]!, StringComparison.Ordinal);
        Assert.Equal(DuckDuckGoFixture.SecondUrl, (string)results[1]!["url"]!);
        Assert.Equal("/html/?q=pharos%20of%20alexandria", Assert.Single(site.Requests).Target);
    }

    [Fact]
    public async Task Five_results_by_default_and_all_there_are_when_fewer()
    {
        var results = await MeshFlow.Tools.Network.WebSearchTool.ParseAsync(DuckDuckGoFixture.Page("q", First), new Uri("https://html.duckduckgo.com/html/"), 5,
            TestContext.Current.CancellationToken);

        Assert.Equal([First, DuckDuckGoFixture.SecondUrl, DuckDuckGoFixture.ThirdUrl], results.Select(r => (string)r!["url"]!));
        Assert.Equal("Lighthouse of Alexandria | History, Location, & Facts | Britannica", (string)results[2]!["title"]!);
    }

    [Fact]
    public async Task An_empty_results_page_says_there_are_no_results()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/html/", 200, "text/html", DuckDuckGoFixture.NoResults);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site, options => options.SearchEndpoint = site.Url("/html/")));

        Assert.Equal("No results for \"zzqxj\".", await tools.InvokeAsync(BuiltInToolNames.WebSearch, ("query", "zzqxj")));
    }

    [Fact]
    public async Task Max_results_outside_1_to_10_is_refused()
    {
        var tools = new NetworkToolHarness();

        var refusal = await tools.RefusedAsync(BuiltInToolNames.WebSearch, ("query", "x"), ("max_results", 11));

        Assert.Contains("between 1 and 10", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_three_tools_declare_their_tiers_and_strict_schemas_and_making_them_opens_no_client()
    {
        var tools = new NetworkToolHarness();

        Assert.Equal(RiskTier.Medium, tools[BuiltInToolNames.WebSearch].Risk);
        Assert.Equal(RiskTier.Medium, tools[BuiltInToolNames.WebFetch].Risk);
        Assert.Equal(RiskTier.High, tools[BuiltInToolNames.HttpRequest].Risk);
        foreach (var name in new[] { BuiltInToolNames.WebSearch, BuiltInToolNames.WebFetch, BuiltInToolNames.HttpRequest })
        {
            Assert.False(tools[name].JsonSchema.GetProperty("additionalProperties").GetBoolean());
            Assert.InRange(tools[name].Timeout, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
            Assert.InRange(tools[name].MaxOutputChars, 20_000, 50_000);
        }

        var all = BuiltInTools.Create(new BuiltInToolOptions());
        Assert.Contains(all, tool => tool.Name == BuiltInToolNames.WebFetch);
        Assert.False(Assert.IsType<MeshFlow.Tools.Network.HttpRequestTool>(tools[BuiltInToolNames.HttpRequest]).Client.ClientCreated);
    }
}
