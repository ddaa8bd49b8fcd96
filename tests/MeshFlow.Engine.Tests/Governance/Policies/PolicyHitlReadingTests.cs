using System.Text.Json;
using MeshFlow.Approvals;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class PolicyHitlReadingTests
{
    private static readonly Policy Standard = Policy.ForMode(PolicyModes.Standard);

    private static PolicyReadResult Read(string json, Policy? basePolicy = null)
    {
        using var document = JsonDocument.Parse(json);
        return PolicyJsonReader.Read(document.RootElement, basePolicy ?? Standard);
    }

    private static string Hitl(string parts) => $"{{\"hitl\": {{{parts}}}}}";

    private static string Message(string json) => Assert.Single(Read(json).Problems).Message;

    [Fact]
    public void Parts_not_written_keep_the_base_policys_and_only_the_written_ones_are_explicit()
    {
        var basePolicy = Standard with { Hitl = HitlPolicy.Default with { WebhookUrl = "https://hooks.example/a", OnTimeout = HitlTimeoutAction.Approve } };

        var read = Read("""{"hitl": {"timeout_seconds": 600, "escalate_to": null}}""", basePolicy);

        Assert.Equal(basePolicy.Hitl with { TimeoutSeconds = 600 }, read.Policy!.Hitl);
        Assert.Equal(["hitl", "hitl.timeout_seconds"], read.ExplicitFields.Order());
    }

    [Fact]
    public void None_clears_the_urls_and_the_tier()
    {
        var basePolicy = Standard with
        {
            Hitl = HitlPolicy.Default with { RiskThreshold = RiskTier.Low, WebhookUrl = "https://hooks.example/a", EscalateTo = "https://hooks.example/b" },
        };

        var read = Read("""{"hitl": {"risk_threshold": "none", "webhook_url": "none", "escalate_to": "none"}}""", basePolicy);

        Assert.Equal(HitlPolicy.Default, read.Policy!.Hitl);
    }

    [Fact]
    public void An_empty_hitl_changes_nothing_and_sets_no_part()
    {
        var read = Read("""{"hitl": {}}""");

        Assert.Equal(Standard, read.Policy);
        Assert.Equal(["hitl"], read.ExplicitFields);
    }

    [Fact]
    public void Escalation_may_use_a_target_the_base_policy_already_has()
    {
        var basePolicy = Standard with { Hitl = HitlPolicy.Default with { EscalateTo = "https://hooks.example/escalate" } };

        var read = Read("""{"hitl": {"on_timeout": "escalate"}}""", basePolicy);

        Assert.Empty(read.Problems);
        Assert.Equal(HitlTimeoutAction.Escalate, read.Policy!.Hitl.OnTimeout);
    }

    [Theory]
    [InlineData("""{"hitl": true}""", "policy.hitl", "'hitl' of the policy must be a mapping of enabled, risk_threshold, webhook_url, timeout_seconds, on_timeout, escalate_to (each optional)")]
    [InlineData("""{"hitl": {"enabled": "yes"}}""", "policy.hitl.enabled", "'hitl.enabled' of the policy must be true or false, but is the string 'yes'")]
    [InlineData("""{"hitl": {"risk_threshold": "hihg"}}""", "policy.hitl.risk_threshold", "(did you mean 'high'?)")]
    [InlineData("""{"hitl": {"timeout_seconds": 0}}""", "policy.hitl.timeout_seconds", "from 1 to 2592000 (30 days), but is the number 0")]
    [InlineData("""{"hitl": {"timeout_seconds": 2592001}}""", "policy.hitl.timeout_seconds", "but is the number 2592001")]
    [InlineData("""{"hitl": {"timeout_seconds": 1.5}}""", "policy.hitl.timeout_seconds", "a whole number of seconds")]
    [InlineData("""{"hitl": {"timeout_seconds": "3600"}}""", "policy.hitl.timeout_seconds", "but is the string '3600'")]
    [InlineData("""{"hitl": {"on_timeout": "aprove"}}""", "policy.hitl.on_timeout", "one of reject, approve, escalate, but is the string 'aprove' (did you mean 'approve'?)")]
    [InlineData("""{"hitl": {"on_timeout": "escalate"}}""", "policy.hitl.escalate_to", "needs 'hitl.escalate_to'")]
    [InlineData("""{"hitl": {"on_timeout": "escalate", "escalate_to": "none"}}""", "policy.hitl.escalate_to", "needs 'hitl.escalate_to'")]
    [InlineData("""{"hitl": {"webhook_url": "ftp://hooks.example/a"}}""", "policy.hitl.webhook_url", "whose scheme is 'ftp'")]
    [InlineData("""{"hitl": {"webhook_url": "hooks.example/a"}}""", "policy.hitl.webhook_url", "which is not an absolute URL")]
    [InlineData("""{"hitl": {"webhook_url": " https://hooks.example/a"}}""", "policy.hitl.webhook_url", "which is not an absolute URL")]
    [InlineData("""{"hitl": {"webhook_url": "file:///etc/passwd"}}""", "policy.hitl.webhook_url", "whose scheme is 'file'")]
    [InlineData("""{"hitl": {"escalate_to": 3}}""", "policy.hitl.escalate_to", "but is the number 3")]
    [InlineData("""{"hitl": {"escalate_to": "https://@hooks.example/a"}}""", "policy.hitl.escalate_to", "carries credentials")]
    [InlineData("""{"hitl": {"timout_seconds": 5}}""", "policy.hitl.timout_seconds", "did you mean 'timeout_seconds'?")]
    public void A_wrong_part_is_reported_naming_its_path(string json, string path, string problem)
    {
        var read = Read(json);

        Assert.Null(read.Policy);
        var (field, message) = read.Error!.Value;
        Assert.Equal(path, field);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_messages_say_what_each_part_takes()
    {
        Assert.Equal("unknown field 'timout_seconds' in 'hitl' of the policy (did you mean 'timeout_seconds'? expected enabled, " +
            "risk_threshold, webhook_url, timeout_seconds, on_timeout, escalate_to)", Message("""{"hitl": {"timout_seconds": 5}}"""));
        Assert.Equal("'hitl.timeout_seconds' of the policy must be a whole number of seconds from 1 to 2592000 (30 days), but is the number -1",
            Message("""{"hitl": {"timeout_seconds": -1}}"""));
        Assert.Equal("'hitl.risk_threshold' of the policy must be a risk tier (low, medium, high, critical) or none, but is the string 'hihg' (did you mean 'high'?)",
            Message("""{"hitl": {"risk_threshold": "hihg"}}"""));
        Assert.Equal("'hitl.on_timeout' of the policy is escalate, which needs 'hitl.escalate_to': add the URL to notify when a pause " +
            "expires, or choose reject or approve", Message("""{"hitl": {"on_timeout": "escalate"}}"""));
        Assert.Equal("'hitl.webhook_url' of the policy must be an absolute http or https URL with a host and no credentials, at most " +
            "2048 characters, or none, but is the string 'ftp://hooks.example/a', whose scheme is 'ftp'",
            Message("""{"hitl": {"webhook_url": "ftp://hooks.example/a"}}"""));
    }

    [Fact]
    public void A_url_with_credentials_is_refused_without_repeating_them()
    {
        var read = Read("""{"hitl": {"webhook_url": "https://ops:hunter2@hooks.example/a", "escalate_to": "https://bad host@x"}}""");

        Assert.Equal(["policy.hitl.webhook_url", "policy.hitl.escalate_to"], read.Problems.Select(p => p.Field));
        Assert.Equal("'hitl.webhook_url' of the policy must be an absolute http or https URL with a host and no credentials, at most " +
            "2048 characters, or none, but carries credentials (user information before '@'), which a policy must not hold",
            read.Problems[0].Message);
        Assert.All(read.Problems, p => Assert.DoesNotContain("hunter2", p.Message, StringComparison.Ordinal));
        Assert.All(read.Problems, p => Assert.DoesNotContain("bad host", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_url_may_be_2048_characters_long_and_no_longer()
    {
        var longest = "https://hooks.example/" + new string('a', 2_048 - 22);

        Assert.Equal(longest, Read(Hitl($"\"webhook_url\": \"{longest}\"")).Policy!.Hitl.WebhookUrl);
        var (field, message) = Read(Hitl($"\"webhook_url\": \"{longest}a\"")).Error!.Value;
        Assert.Equal("policy.hitl.webhook_url", field);
        Assert.EndsWith("but is 2049 characters long", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8080/hooks")]
    [InlineData("https://hooks.example/a?tenant=acme&key=x")]
    [InlineData("HTTPS://Hooks.Example/a")]
    [InlineData("https://[::1]/a")]
    [InlineData("https://hooks.example/a?by=ops@acme")]
    public void An_absolute_http_url_with_a_host_is_accepted_whatever_its_address(string url)
    {
        var read = Read(Hitl($"\"webhook_url\": \"{url}\", \"on_timeout\": \"escalate\", \"escalate_to\": \"{url}\""));

        Assert.Empty(read.Problems);
        Assert.Equal((url, url), (read.Policy!.Hitl.WebhookUrl, read.Policy.Hitl.EscalateTo));
    }

    [Fact]
    public void Every_problem_of_hitl_is_reported_not_only_the_first()
    {
        var read = Read("""{"hitl": {"enabled": 1, "timeout_seconds": 0, "on_timeout": "never", "colour": "red"}}""");

        Assert.Equal(["policy.hitl.enabled", "policy.hitl.timeout_seconds", "policy.hitl.on_timeout", "policy.hitl.colour"],
            read.Problems.Select(p => p.Field));
        Assert.Equal(PolicyProblemKind.UnknownField, read.Problems[3].Kind);
    }
}
