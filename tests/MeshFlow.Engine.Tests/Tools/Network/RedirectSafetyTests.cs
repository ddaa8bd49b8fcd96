using System.Text.Json.Nodes;
using MeshFlow.Tools.BuiltIn;
using MeshFlow.Tools.Network;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Tests.Tools.Network;

/// <summary>
/// A redirect never weakens a request: no https to http, no caller header to another origin, no body re-sent to
/// another origin by a 307 or 308; same-origin redirects keep all three.
/// </summary>
/// <remarks>
/// The guarded client has no hook to trust a test certificate, so the https to http rule is tested on
/// <see cref="GuardedHttpClient.CheckRedirect"/>, the check every hop goes through; the rest run against local servers.
/// </remarks>
public sealed class RedirectSafetyTests
{
    private static readonly Dictionary<string, object?> CallerHeaders = new()
    {
        ["X-Api-Key"] = "k3y",
        ["X-Custom-Token"] = "t0k",
        ["Authorization"] = "Bearer b34rer",
    };

    [Theory]
    [InlineData(301, false)]
    [InlineData(302, false)]
    [InlineData(303, false)]
    [InlineData(307, false)]
    [InlineData(308, true)]
    public void An_https_to_http_redirect_is_refused_naming_both_ends_without_the_query(int status, bool hasBody)
    {
        var refusal = Assert.Throws<BuiltInToolException>(() => GuardedHttpClient.CheckRedirect(BuiltInToolNames.HttpRequest,
            new Uri("https://api.example.com/login?token=secret1"), new Uri("http://api.example.com/next?token=secret2"), status, hasBody));

        Assert.Contains("https://api.example.com:443/login", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("http://api.example.com:80/next", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("from https to http", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://a.example/x", "https://a.example/y", 307, false)]
    [InlineData("https://a.example/x", "https://a.example/y", 308, true)]
    [InlineData("https://a.example/x", "https://b.example/y", 302, false)]
    [InlineData("https://a.example/x", "https://b.example/y", 307, false)]
    [InlineData("http://a.example/x", "http://b.example/y", 301, false)]
    public void Redirects_that_keep_or_raise_encryption_and_send_no_body_elsewhere_are_allowed(string from, string to, int status, bool hasBody) =>
        GuardedHttpClient.CheckRedirect(BuiltInToolNames.HttpRequest, new Uri(from), new Uri(to), status, hasBody);

    [Fact]
    public void A_307_with_a_body_to_another_origin_is_refused_by_the_hop_check()
    {
        var refusal = Assert.Throws<BuiltInToolException>(() => GuardedHttpClient.CheckRedirect(BuiltInToolNames.HttpRequest,
            new Uri("https://a.example/upload?sig=secret"), new Uri("https://a.example:8443/upload"), 307, hasBody: true));

        Assert.Contains("body would be re-sent", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("https://a.example:8443/upload", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusCodes.Status302Found, "POST")]
    [InlineData(StatusCodes.Status302Found, "GET")]
    [InlineData(StatusCodes.Status307TemporaryRedirect, "GET")]
    public async Task A_cross_origin_redirect_carries_none_of_the_callers_headers(int status, string method)
    {
        await using var first = await LocalSite.StartAsync();
        await using var second = await LocalSite.StartAsync();
        first.Redirect("/start", second.Url("/landing").AbsoluteUri, status);
        second.On("/landing", 200, "text/plain", "landed");
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(first, NetworkToolHarness.Exempting(second)));

        (string, object?)[] arguments = [("method", method), ("url", first.Url("/start").AbsoluteUri), ("headers", CallerHeaders)];
        if (method == "POST")
        {
            arguments = [.. arguments, ("body", "payload")];
        }

        var response = JsonNode.Parse(await tools.InvokeAsync(BuiltInToolNames.HttpRequest, arguments))!;

        Assert.Equal("landed", (string)response["body"]!);
        var sent = Assert.Single(first.Requests);
        Assert.Equal("k3y", sent.Headers["X-Api-Key"]);
        var received = Assert.Single(second.Requests);
        Assert.Equal("GET", received.Method);
        Assert.Equal(string.Empty, received.Body);
        Assert.False(received.Headers.ContainsKey("X-Api-Key"));
        Assert.False(received.Headers.ContainsKey("X-Custom-Token"));
        Assert.False(received.Headers.ContainsKey("Authorization"));
        Assert.StartsWith("MeshFlowBot/", received.Headers["User-Agent"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusCodes.Status307TemporaryRedirect)]
    [InlineData(StatusCodes.Status308PermanentRedirect)]
    public async Task A_cross_origin_307_or_308_of_a_request_with_a_body_is_refused_and_nothing_reaches_the_target(int status)
    {
        await using var first = await LocalSite.StartAsync();
        await using var second = await LocalSite.StartAsync();
        first.Redirect("/upload", second.Url("/collect?leak=secret").AbsoluteUri, status);
        second.On("/collect", 200, "text/plain", "collected");
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(first, NetworkToolHarness.Exempting(second)));

        var refusal = await tools.RefusedAsync(BuiltInToolNames.HttpRequest, ("method", "POST"), ("url", first.Url("/upload").AbsoluteUri),
            ("headers", CallerHeaders), ("body", "payload"));

        Assert.Contains("body would be re-sent", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{second.Port}/collect", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(1, first.Hits("/upload"));
        Assert.Empty(second.Requests);
    }

    [Fact]
    public async Task A_same_origin_307_keeps_the_method_the_body_and_the_callers_headers()
    {
        await using var site = await LocalSite.StartAsync();
        site.Redirect("/keep", "/echo", StatusCodes.Status307TemporaryRedirect).On("/echo", 200, "text/plain", "echoed");
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var response = JsonNode.Parse(await tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "POST"), ("url", site.Url("/keep").AbsoluteUri),
            ("headers", CallerHeaders), ("body", "payload")))!;

        Assert.Equal("echoed", (string)response["body"]!);
        var echo = Assert.Single(site.Requests, request => request.Target == "/echo");
        Assert.Equal("POST", echo.Method);
        Assert.Equal("payload", echo.Body);
        Assert.Equal("k3y", echo.Headers["X-Api-Key"]);
        Assert.Equal("t0k", echo.Headers["X-Custom-Token"]);
        Assert.Equal("Bearer b34rer", echo.Headers["Authorization"]);
    }

    [Fact]
    public async Task Web_fetch_keeps_its_own_accept_header_across_origins()
    {
        await using var first = await LocalSite.StartAsync();
        await using var second = await LocalSite.StartAsync();
        first.On("/robots.txt", 404, "text/plain", string.Empty).Redirect("/start", second.Url("/page").AbsoluteUri);
        second.On("/robots.txt", 404, "text/plain", string.Empty).On("/page", 200, "text/plain", "fetched");
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(first, NetworkToolHarness.Exempting(second)));

        var page = await tools.InvokeAsync(BuiltInToolNames.WebFetch, ("url", first.Url("/start").AbsoluteUri));

        Assert.EndsWith("fetched", page, StringComparison.Ordinal);
        var received = Assert.Single(second.Requests, request => request.Target == "/page");
        Assert.StartsWith("text/html", received.Headers["Accept"], StringComparison.Ordinal);
    }
}
