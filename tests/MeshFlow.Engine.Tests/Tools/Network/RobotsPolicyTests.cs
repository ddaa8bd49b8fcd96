using MeshFlow.Tools.BuiltIn;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Tests.Tools.Network;

/// <summary>How web_fetch obtains and keeps robots.txt: the answers RFC 9309 names, and the 24-hour cache.</summary>
public sealed class RobotsPolicyTests
{
    private const string Page = "<html><head><title>Page</title></head><body><p>Hello from the page.</p></body></html>";

    [Fact]
    public async Task A_disallowed_page_is_refused_without_being_requested()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/robots.txt", 200, "text/plain", "User-agent: *\nDisallow: /private\n")
            .On("/private/report", 200, "text/html", Page)
            .On("/public", 200, "text/html", Page);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var refusal = await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/private/report?key=abc").AbsoluteUri));
        var page = await tools.InvokeAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/public").AbsoluteUri));

        Assert.Contains("robots.txt", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("disallows", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("key=abc", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, site.Hits("/private/report"));
        Assert.Contains("Hello from the page.", page, StringComparison.Ordinal);
        Assert.Equal(1, site.Hits("/robots.txt"));
    }

    [Theory]
    [InlineData(StatusCodes.Status404NotFound, true)]
    [InlineData(StatusCodes.Status403Forbidden, true)]
    [InlineData(StatusCodes.Status500InternalServerError, false)]
    [InlineData(StatusCodes.Status503ServiceUnavailable, false)]
    public async Task A_4xx_robots_answer_allows_everything_and_a_5xx_answer_disallows_everything(int status, bool allowed)
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/robots.txt", status, "text/plain", "User-agent: *\nAllow: /\n").On("/page", 200, "text/html", Page);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        if (allowed)
        {
            Assert.Contains("Hello from the page.", await tools.InvokeAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/page").AbsoluteUri)), StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("robots.txt", (await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/page").AbsoluteUri))).Message, StringComparison.Ordinal);
            Assert.Equal(0, site.Hits("/page"));
        }
    }

    [Fact]
    public async Task An_unreachable_robots_file_disallows_everything()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/robots.txt", context =>
        {
            // Drops the connection without an answer.
            context.Abort();
            return Task.CompletedTask;
        }).On("/page", 200, "text/html", Page);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var refusal = await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/page").AbsoluteUri));

        Assert.Contains("robots.txt", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, site.Hits("/page"));
    }

    [Fact]
    public async Task A_robots_redirect_is_followed()
    {
        await using var site = await LocalSite.StartAsync();
        site.Redirect("/robots.txt", "/elsewhere/robots.txt", StatusCodes.Status301MovedPermanently)
            .On("/elsewhere/robots.txt", 200, "text/plain", "User-agent: *\nDisallow: /page\n")
            .On("/page", 200, "text/html", Page);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/page").AbsoluteUri));

        Assert.Equal(1, site.Hits("/elsewhere/robots.txt"));
        Assert.Equal(0, site.Hits("/page"));
    }

    [Fact]
    public async Task Robots_txt_is_kept_for_24_hours_then_fetched_again()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/robots.txt", 200, "text/plain", "User-agent: *\nDisallow: /private\n").On("/page", 200, "text/html", Page);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site), time);
        var url = site.Url("/page").AbsoluteUri;

        await tools.InvokeAsync(BuiltInToolNames.WebFetch, ("url", url));
        time.Advance(TimeSpan.FromHours(23));
        await tools.InvokeAsync(BuiltInToolNames.WebFetch, ("url", url));
        Assert.Equal(1, site.Hits("/robots.txt"));

        time.Advance(TimeSpan.FromHours(2));
        site.On("/robots.txt", 200, "text/plain", "User-agent: *\nDisallow: /\n");
        await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", url));

        Assert.Equal(2, site.Hits("/robots.txt"));
        Assert.Equal(2, site.Hits("/page"));
    }
}
