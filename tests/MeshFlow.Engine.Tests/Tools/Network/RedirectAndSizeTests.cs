using System.Text.Json.Nodes;
using MeshFlow.Tools.BuiltIn;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Tests.Tools.Network;

/// <summary>Redirects are followed by hand, at most five, each hop checked again; bodies are read up to the cap.</summary>
public sealed class RedirectAndSizeTests
{
    private static async Task<LocalSite> ChainAsync(int hops)
    {
        var site = await LocalSite.StartAsync();
        site.On("/robots.txt", 404, "text/plain", string.Empty).On($"/hop{hops}", 200, "text/plain", "arrived");
        for (var i = 0; i < hops; i++)
        {
            site.Redirect($"/hop{i}", $"/hop{i + 1}");
        }

        return site;
    }

    [Fact]
    public async Task Five_redirects_are_followed()
    {
        await using var site = await ChainAsync(5);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var page = await tools.InvokeAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/hop0").AbsoluteUri));
        var response = JsonNode.Parse(await tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", site.Url("/hop0").AbsoluteUri)))!;

        Assert.Contains($"URL: {site.Url("/hop5").AbsoluteUri}", page, StringComparison.Ordinal);
        Assert.EndsWith("arrived", page, StringComparison.Ordinal);
        Assert.Equal(200, (int)response["status"]!);
        Assert.Equal("arrived", (string)response["body"]!);
    }

    [Fact]
    public async Task The_sixth_redirect_is_refused()
    {
        await using var site = await ChainAsync(6);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var fetch = await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/hop0").AbsoluteUri));
        var request = await tools.RefusedAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", site.Url("/hop0").AbsoluteUri));

        Assert.Contains("more than 5 times", fetch.Message, StringComparison.Ordinal);
        Assert.Contains("more than 5 times", request.Message, StringComparison.Ordinal);
        Assert.Equal(0, site.Hits("/hop6"));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/file")]
    [InlineData("gopher://example.com/")]
    public async Task A_redirect_to_another_scheme_is_refused(string location)
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/robots.txt", 404, "text/plain", string.Empty).Redirect("/go", location);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var fetch = await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/go").AbsoluteUri));
        var request = await tools.RefusedAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", site.Url("/go").AbsoluteUri));

        Assert.Contains("only http and https", fetch.Message, StringComparison.Ordinal);
        Assert.Contains("only http and https", request.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_longer_than_the_output_cap_is_cut_inside_the_json_so_the_answer_stays_json()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/long", 200, "text/plain", new string('y', 100_000));
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var response = JsonNode.Parse(await tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", site.Url("/long").AbsoluteUri)))!;

        Assert.True((bool)response["truncated"]!);
        Assert.InRange(((string)response["body"]!).Length, 1_000, 40_000);
    }

    [Fact]
    public async Task A_307_keeps_the_method_and_body_and_a_303_becomes_a_get_without_body()
    {
        await using var site = await LocalSite.StartAsync();
        site.Redirect("/keep", "/echo", StatusCodes.Status307TemporaryRedirect)
            .Redirect("/see-other", "/echo", StatusCodes.Status303SeeOther)
            .On("/echo", async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                await context.Response.WriteAsync($"{context.Request.Method}:{await reader.ReadToEndAsync(context.RequestAborted)}");
            });
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var kept = JsonNode.Parse(await tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "POST"), ("url", site.Url("/keep").AbsoluteUri), ("body", "payload")))!;
        var changed = JsonNode.Parse(await tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "POST"), ("url", site.Url("/see-other").AbsoluteUri), ("body", "payload")))!;

        Assert.Equal("POST:payload", (string)kept["body"]!);
        Assert.Equal("GET:", (string)changed["body"]!);
    }

    [Fact]
    public async Task A_10_MB_body_is_cut_at_the_cap_and_the_result_says_so()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/robots.txt", 404, "text/plain", string.Empty).On("/big", async context =>
        {
            context.Response.ContentType = "text/plain";
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'x');
            for (var sent = 0; sent < 10 * 1024 * 1024; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site, options => options.MaxResponseBytes = 10_000));

        var page = await tools.InvokeAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/big").AbsoluteUri));
        var response = JsonNode.Parse(await tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", site.Url("/big").AbsoluteUri)))!;

        Assert.Contains("longer than the size cap; only its first 10000 bytes were read", page, StringComparison.Ordinal);
        Assert.True((bool)response["truncated"]!);
        Assert.Equal(10_000, ((string)response["body"]!).Length);
    }
}
