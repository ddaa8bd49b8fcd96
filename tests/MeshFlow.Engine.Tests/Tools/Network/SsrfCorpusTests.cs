using System.Net;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tests.Tools.Network;

/// <summary>
/// The SSRF corpus of issue 24: every spelling of this machine, its private networks and the cloud metadata service,
/// every non-web scheme, a redirect to loopback and a name resolving to loopback, for web_fetch, http_request and
/// web_search. A listener on loopback counts connections: with the default rules it sees none; with private addresses
/// allowed, the same URLs reach it.
/// </summary>
public sealed class SsrfCorpusTests
{
    private const string ResolvesToLoopback = "intranet.corp.example";

    // {port} is the counting listener's port. Private and metadata addresses have no listener: they must be refused
    // before any connection is tried, so none of them waits for a timeout.
    public static TheoryData<string> Corpus() =>
    [
        "http://127.1:{port}/",
        "http://2130706433:{port}/",
        "http://0177.0.0.1:{port}/",
        "http://0x7f.1:{port}/",
        "http://[::1]:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.0.1/",
        "http://localhost.:{port}/",
        $"http://{ResolvesToLoopback}:{{port}}/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:{port}/_GET",
    ];

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task With_the_default_rules_web_fetch_and_http_request_refuse_and_nothing_reaches_this_machine(string template)
    {
        using var listener = new CountingListener();
        var tools = new NetworkToolHarness(ResolvingToLoopback);
        var url = template.Replace("{port}", listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var fetch = await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", url));
        var request = await tools.RefusedAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", url));

        Assert.Equal(0, listener.Connections);
        foreach (var refusal in new[] { fetch, request })
        {
            Assert.Matches("resolves only to addresses the network rules refuse|only http and https", refusal.Message);
        }
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_server_to_loopback_is_refused_at_the_hop()
    {
        using var listener = new CountingListener();
        await using var site = await LocalSite.StartAsync();
        site.Redirect("/go", $"http://127.0.0.1:{listener.Port}/admin?token=s3cret")
            .On("/robots.txt", 404, "text/plain", string.Empty);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var fetch = await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/go").AbsoluteUri));
        var request = await tools.RefusedAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", site.Url("/go").AbsoluteUri));

        Assert.Equal(0, listener.Connections);
        Assert.Equal(2, site.Hits("/go"));
        foreach (var refusal in new[] { fetch, request })
        {
            Assert.Contains("refused", refusal.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret", refusal.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_search_endpoint_on_loopback_is_refused_with_the_default_rules()
    {
        using var listener = new CountingListener();
        var tools = new NetworkToolHarness(options => options.SearchEndpoint = new Uri($"http://127.0.0.1:{listener.Port}/html/"));

        var refusal = await tools.RefusedAsync(BuiltInToolNames.WebSearch, ("query", "meshflow"));

        Assert.Contains("refused", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, listener.Connections);
    }

    [Fact]
    public async Task With_private_addresses_allowed_the_same_spellings_reach_the_listener()
    {
        using var listener = new CountingListener();
        var tools = new NetworkToolHarness(options =>
        {
            ResolvingToLoopback(options);
            options.AllowPrivateAddresses = true;
            options.SearchEndpoint = new Uri($"http://127.0.0.1:{listener.Port}/html/");
        });
        var port = listener.Port;

        var answered = 0;
        foreach (var url in new[] { $"http://127.1:{port}/", $"http://2130706433:{port}/", $"http://0x7f.1:{port}/", $"http://{ResolvesToLoopback}:{port}/" })
        {
            Assert.Contains("\"status\": 200", await tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", url)), StringComparison.Ordinal);
            answered++;
        }

        Assert.EndsWith("ok", await tools.InvokeAsync(BuiltInToolNames.WebFetch, ("url", $"http://127.1:{port}/page")), StringComparison.Ordinal);
        Assert.StartsWith("No results", await tools.InvokeAsync(BuiltInToolNames.WebSearch, ("query", "meshflow")), StringComparison.Ordinal);
        if (listener.HasIPv6)
        {
            Assert.Contains("\"status\": 200", await tools.InvokeAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", $"http://[::1]:{port}/")), StringComparison.Ordinal);
        }

        Assert.Equal(4, answered);
        Assert.True(listener.Connections > 0);

        // Only http and https, whatever the address rules.
        await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", "file:///etc/passwd"));
        await tools.RefusedAsync(BuiltInToolNames.HttpRequest, ("method", "GET"), ("url", $"gopher://127.0.0.1:{port}/"));
    }

    private static void ResolvingToLoopback(MeshFlow.Tools.Network.NetworkToolOptions options) =>
        options.Resolve = (host, ct) => host == ResolvesToLoopback
            ? Task.FromResult(new[] { IPAddress.Loopback })
            : Dns.GetHostAddressesAsync(host, ct);
}
