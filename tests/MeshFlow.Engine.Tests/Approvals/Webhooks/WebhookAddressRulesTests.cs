using System.Net;
using MeshFlow.Approvals.Webhooks;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Tests.Approvals.Webhooks;

public sealed class WebhookAddressRulesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    // IPv4
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("10.255.255.255", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "shared address space (CGNAT)")]
    [InlineData("100.127.255.255", "shared address space (CGNAT)")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("100.100.100.200", "cloud metadata")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("192.0.0.170", "reserved (IETF protocol assignments)")]
    [InlineData("198.18.0.1", "reserved (benchmarking)")]
    // IPv6
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fc00::1", "private (unique local)")]
    [InlineData("fdab:cdef::1", "private (unique local)")]
    [InlineData("fd00:ec2::254", "cloud metadata")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fe80::1%2", "link-local")]
    [InlineData("febf::1", "link-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    // IPv6 forms that embed a refused IPv4 address
    [InlineData("::ffff:127.0.0.1", "loopback, IPv4-mapped")]
    [InlineData("::ffff:10.1.2.3", "private, IPv4-mapped")]
    [InlineData("::ffff:169.254.169.254", "cloud metadata, IPv4-mapped")]
    [InlineData("::ffff:7f00:1", "loopback, IPv4-mapped")]
    [InlineData("::127.0.0.1", "loopback, IPv4-compatible")]
    [InlineData("::192.168.0.1", "private, IPv4-compatible")]
    [InlineData("::ffff:0:127.0.0.1", "loopback, IPv4-translated")]
    [InlineData("64:ff9b::169.254.169.254", "cloud metadata, NAT64")]
    [InlineData("64:ff9b::10.0.0.1", "private, NAT64")]
    [InlineData("64:ff9b:1::a00:1", "NAT64 local use")]
    [InlineData("2002:7f00:1::", "loopback, 6to4")]
    [InlineData("2002:a9fe:a9fe::1", "cloud metadata, 6to4")]
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback, Teredo")]
    public void A_refused_address_says_why(string address, string reason)
    {
        var ip = IPAddress.Parse(address);

        Assert.Equal(reason, WebhookAddressRules.ReasonToRefuse(ip));
        Assert.False(new WebhookAddressRules().IsAllowed(ip));
        Assert.True(new WebhookAddressRules(allowPrivate: true).IsAllowed(ip));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.1")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:93.184.216.34")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("2002:5db8:d822::1")]
    [InlineData("fbff::1")]
    [InlineData("fe00::1")]
    public void A_public_address_is_allowed(string address)
    {
        var ip = IPAddress.Parse(address);

        Assert.Null(WebhookAddressRules.ReasonToRefuse(ip));
        Assert.True(new WebhookAddressRules().IsAllowed(ip));
    }

    [Theory]
    [InlineData("ftp://example.com/hook", "must be an absolute http or https URL")]
    [InlineData("/relative/hook", "must be an absolute http or https URL")]
    [InlineData("not a url", "must be an absolute http or https URL")]
    [InlineData("http://127.0.0.1:8080/hook", "resolves to refused addresses: 127.0.0.1 (loopback)")]
    [InlineData("https://[::1]/hook", "resolves to refused addresses: ::1 (loopback)")]
    [InlineData("http://[::ffff:169.254.169.254]/latest", "resolves to refused addresses: ::ffff:169.254.169.254 (cloud metadata, IPv4-mapped)")]
    [InlineData("http://2130706433/hook", "resolves to refused addresses: 127.0.0.1 (loopback)")]
    [InlineData("http://intranet.test/hook", "resolves to refused addresses: 10.1.2.3 (private)")]
    [InlineData("http://split.test/hook", "resolves to refused addresses: 192.168.0.7 (private)")]
    [InlineData("http://nowhere.test/hook", "'nowhere.test' does not resolve")]
    public async Task A_submitted_url_is_refused_with_the_problem_in_words(string url, string problem)
    {
        var rules = new WebhookAddressRules(resolve: FakeDns);

        Assert.Contains(problem, await rules.CheckUrlAsync(url, Token), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://93.184.216.34/hook")]
    [InlineData("http://public.test:8443/hook?token=x")]
    [InlineData("https://[2606:4700:4700::1111]/hook")]
    public async Task A_submitted_url_with_only_public_addresses_is_accepted(string url)
    {
        Assert.Null(await new WebhookAddressRules(resolve: FakeDns).CheckUrlAsync(url, Token));
    }

    [Fact]
    public async Task Allowing_private_addresses_accepts_loopback_but_still_checks_the_url()
    {
        var rules = new WebhookAddressRules(allowPrivate: true, resolve: FakeDns);

        Assert.Null(await rules.CheckUrlAsync("http://127.0.0.1:8080/hook", Token));
        Assert.Null(await rules.CheckUrlAsync("http://intranet.test/hook", Token));
        Assert.NotNull(await rules.CheckUrlAsync("ftp://127.0.0.1/hook", Token));
        Assert.NotNull(await rules.CheckUrlAsync("http://nowhere.test/hook", Token));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("yes", false)]
    [InlineData(null, false)]
    public void Configuration_allows_private_addresses_only_when_set_to_true(string? value, bool allowed)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [WebhookAddressRules.AllowPrivateKey] = value })
            .Build();

        Assert.Equal(allowed, WebhookAddressRules.FromConfiguration(configuration).AllowPrivate);
    }

    private static Task<IPAddress[]> FakeDns(string host, CancellationToken cancellationToken) => host switch
    {
        "public.test" => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("2606:4700:4700::1111") }),
        "intranet.test" => Task.FromResult(new[] { IPAddress.Parse("10.1.2.3") }),
        // One public and one private address: the URL is refused, since any connection might reach the private one.
        "split.test" => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("192.168.0.7") }),
        _ => Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound)),
    };
}
