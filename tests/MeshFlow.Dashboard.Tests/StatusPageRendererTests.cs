using System.Text.Encodings.Web;
using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.StatusPage;

namespace MeshFlow.Dashboard.Tests;

public sealed class StatusPageRendererTests
{
    private static readonly DateTimeOffset CheckedAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void An_unreachable_API_is_shown_with_its_error()
    {
        var html = StatusPageRenderer.Render(
            ApiHealthResult.Unreachable("The API could not be reached: Connection refused (api:80)"),
            CheckedAt,
            HtmlEncoder.Default);

        Assert.Contains("Unreachable", html, StringComparison.Ordinal);
        Assert.Contains("Connection refused (api:80)", html, StringComparison.Ordinal);
        Assert.Contains("2026-01-02 03:04:05 UTC", html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_containing_markup_is_html_encoded()
    {
        var html = StatusPageRenderer.Render(
            ApiHealthResult.Unreachable("<script>alert('x')</script>"),
            CheckedAt,
            HtmlEncoder.Default);

        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_healthy_API_is_shown_with_its_version_uptime_and_stores()
    {
        var html = StatusPageRenderer.Render(
            ApiHealthResult.Reachable(new ApiHealth(Ok: true, Db: "embedded", Redis: "in-process", Version: "0.1.0", UptimeS: 3725)),
            CheckedAt,
            HtmlEncoder.Default);

        Assert.Contains("Healthy", html, StringComparison.Ordinal);
        Assert.Contains("0.1.0", html, StringComparison.Ordinal);
        Assert.Contains("1 h 2 min", html, StringComparison.Ordinal);
        Assert.Contains("embedded", html, StringComparison.Ordinal);
        Assert.Contains("in-process", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Unreachable<", html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unhealthy_API_is_shown_as_unhealthy()
    {
        var html = StatusPageRenderer.Render(
            ApiHealthResult.Reachable(new ApiHealth(Ok: false, Db: "configured", Redis: "configured", Version: "0.1.0", UptimeS: 5)),
            CheckedAt,
            HtmlEncoder.Default);

        Assert.Contains(">Unhealthy<", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_reported_by_the_API_are_html_encoded()
    {
        var html = StatusPageRenderer.Render(
            ApiHealthResult.Reachable(new ApiHealth(Ok: true, Db: "<img src=x>", Redis: "in-process", Version: "\"><b>1</b>", UptimeS: 1)),
            CheckedAt,
            HtmlEncoder.Default);

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(42.9, "42 s")]
    [InlineData(725, "12 min 5 s")]
    [InlineData(3725, "1 h 2 min")]
    [InlineData(273600, "3 d 4 h")]
    [InlineData(-1, "0 s")]
    public void Uptime_is_shown_in_its_two_largest_units(double seconds, string expected)
    {
        Assert.Equal(expected, StatusPageRenderer.FormatUptime(seconds));
    }
}
