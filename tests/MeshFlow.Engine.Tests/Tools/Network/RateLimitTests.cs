using MeshFlow.Tools.BuiltIn;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Tests.Tools.Network;

/// <summary>At most two requests a second to one host, timed by the injected clock.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task A_third_request_to_one_host_within_a_second_waits_until_time_moves_on()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/", 200, "text/plain", "ok");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site, options => options.RequestsPerSecondPerHost = 2), time);
        var url = site.Url("/").AbsoluteUri;

        await tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", url));
        await tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", url));
        var third = tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", url));

        // The third request holds its slot a second after the first: nothing is sent until the clock gets there.
        await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, site.Hits("/"));

        time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        Assert.False(third.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Contains("\"status\": 200", await third, StringComparison.Ordinal);
        Assert.Equal(3, site.Hits("/"));
    }
}
