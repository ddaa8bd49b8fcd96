using System.Text.Json.Nodes;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tests.Tools.Network;

public sealed class HttpRequestToolTests
{
    [Fact]
    public async Task A_post_with_a_json_body_and_headers_round_trips()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/api/items", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var received = await reader.ReadToEndAsync(context.RequestAborted);
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json";
            context.Response.Headers["X-Request-Id"] = context.Request.Headers["X-Request-Id"];
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response,
                $$"""{"received":{{received}},"type":"{{context.Request.ContentType}}","auth":"{{context.Request.Headers.Authorization}}"}""");
        });
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));
        var headers = new Dictionary<string, object?> { ["Content-Type"] = "application/json", ["X-Request-Id"] = "req-42", ["Authorization"] = "Bearer t0k" };

        var response = JsonNode.Parse(await tools.InvokeAsync(BuiltInToolNames.HttpRequest,
            ("method", "POST"), ("url", site.Url("/api/items").AbsoluteUri), ("headers", headers), ("body", """{"name":"lamp","count":2}""")))!;

        Assert.Equal(201, (int)response["status"]!);
        Assert.False((bool)response["truncated"]!);
        Assert.Equal("req-42", (string)response["headers"]!["x-request-id"]!);
        Assert.StartsWith("application/json", (string)response["headers"]!["content-type"]!, StringComparison.Ordinal);
        var body = JsonNode.Parse((string)response["body"]!)!;
        Assert.Equal("lamp", (string)body["received"]!["name"]!);
        Assert.Equal(2, (int)body["received"]!["count"]!);
        Assert.Equal("application/json", (string)body["type"]!);
        Assert.Equal("Bearer t0k", (string)body["auth"]!);
        var request = Assert.Single(site.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("MeshFlowBot/", request.Headers["User-Agent"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host", "evil.example")]
    [InlineData("Content-Length", "5")]
    [InlineData("Transfer-Encoding", "chunked")]
    [InlineData("Connection", "keep-alive")]
    [InlineData("Upgrade", "websocket")]
    [InlineData("Proxy-Authorization", "Basic x")]
    [InlineData("TE", "trailers")]
    [InlineData("Trailer", "X")]
    [InlineData("X-Split", "a\r\nInjected: 1")]
    [InlineData("X-Nul", "a\0b")]
    [InlineData("Bad Name", "x")]
    [InlineData("X-Bad\r\nName", "x")]
    public async Task Framing_proxy_and_line_breaking_headers_are_refused_before_anything_is_sent(string name, string value)
    {
        using var listener = new CountingListener();
        var tools = new NetworkToolHarness(options => options.AllowPrivateAddresses = true);

        var refusal = await tools.RefusedAsync(BuiltInToolNames.HttpRequest, ("method", "GET"),
            ("url", $"http://127.0.0.1:{listener.Port}/"), ("headers", new Dictionary<string, object?> { [name] = value }));

        Assert.Contains("header", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, listener.Connections);
    }

    [Theory]
    [InlineData("CONNECT")]
    [InlineData("TRACE")]
    [InlineData("OPTIONS")]
    public async Task Methods_other_than_the_six_are_refused(string method)
    {
        var tools = new NetworkToolHarness();

        var refusal = await tools.RefusedAsync(BuiltInToolNames.HttpRequest, ("method", method), ("url", "http://example.com/"));

        Assert.Contains("GET, HEAD, POST, PUT, PATCH, DELETE", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_cap_is_refused()
    {
        var tools = new NetworkToolHarness(options => options.MaxRequestBodyBytes = 10);

        var refusal = await tools.RefusedAsync(BuiltInToolNames.HttpRequest, ("method", "POST"), ("url", "http://example.com/"), ("body", new string('a', 11)));

        Assert.Contains("at most 10", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_caller_header_is_carried_to_another_origin_on_a_redirect()
    {
        await using var first = await LocalSite.StartAsync();
        await using var second = await LocalSite.StartAsync();
        first.Redirect("/start", second.Url("/landing").AbsoluteUri);
        second.On("/landing", context => Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response,
            "auth=" + context.Request.Headers.Authorization + ";x=" + context.Request.Headers["X-Trace"]));
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(first, NetworkToolHarness.Exempting(second)));

        var response = JsonNode.Parse(await tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", first.Url("/start").AbsoluteUri),
            ("headers", new Dictionary<string, object?> { ["Authorization"] = "Bearer t0k", ["X-Trace"] = "1" })))!;

        Assert.Equal("auth=;x=", (string)response["body"]!);
    }
}
