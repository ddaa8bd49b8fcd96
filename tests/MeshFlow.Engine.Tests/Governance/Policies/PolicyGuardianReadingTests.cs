using System.Text.Json;
using MeshFlow.Governance;
using MeshFlow.Governance.Collusion;
using MeshFlow.Governance.Guardian;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class PolicyGuardianReadingTests
{
    private const string GuardianExpected = "true or false, or a mapping of enabled, on_injection, on_leak, allowed_hosts, " +
        "untrusted_input, behaviour (each optional; a mapping without enabled turns the guardian on), such as " +
        "{ on_injection: block, allowed_hosts: [api.example.com] }";

    private static readonly Policy Standard = Policy.ForMode(PolicyModes.Standard);

    private static PolicyReadResult Read(string json, Policy? basePolicy = null)
    {
        using var document = JsonDocument.Parse(json);
        return PolicyJsonReader.Read(document.RootElement, basePolicy ?? Standard);
    }

    private static string Message(string json) => Assert.Single(Read(json).Problems).Message;

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void A_switch_turns_the_guardian_on_or_off_and_keeps_the_base_settings(string written, bool on)
    {
        var settings = new GuardianPolicy { Enabled = !on, OnInjection = GuardianAction.Block, AllowedHosts = ["api.example.com"] };

        var read = Read($$"""{"guardian": {{written}}}""", Standard with { Guardian = settings });

        Assert.Equal(settings with { Enabled = on }, read.Policy!.Guardian);
        Assert.Equal(["guardian", "guardian.enabled"], read.ExplicitFields.Order());
    }

    [Fact]
    public void Every_part_of_a_mapping_is_read_and_counts_as_written()
    {
        var read = Read("""
            {"guardian": {"enabled": true, "on_injection": "block", "on_leak": "block", "allowed_hosts": ["API.Example.com", "docs.example.org"],
                          "untrusted_input": true, "behaviour": false}}
            """);

        Assert.Empty(read.Problems);
        Assert.Equal(new GuardianPolicy
        {
            Enabled = true, OnInjection = GuardianAction.Block, OnLeak = LeakAction.Block, AllowedHosts = ["api.example.com", "docs.example.org"],
            UntrustedInput = true, Behaviour = false,
        }, read.Policy!.Guardian);
        Assert.Equal(["guardian", "guardian.allowed_hosts", "guardian.behaviour", "guardian.enabled", "guardian.on_injection",
            "guardian.on_leak", "guardian.untrusted_input"], read.ExplicitFields.Order());
    }

    [Fact]
    public void A_mapping_without_enabled_turns_the_guardian_on_over_the_base_settings()
    {
        var basePolicy = Standard with { Guardian = GuardianPolicy.Off with { OnLeak = LeakAction.Block } };

        var read = Read("""{"guardian": {"on_injection": "block"}}""", basePolicy);

        Assert.Equal(new GuardianPolicy { Enabled = true, OnInjection = GuardianAction.Block, OnLeak = LeakAction.Block }, read.Policy!.Guardian);
        Assert.Equal(["guardian", "guardian.enabled", "guardian.on_injection"], read.ExplicitFields.Order());
    }

    [Fact]
    public void A_mapping_may_keep_the_guardian_off_with_settings_and_a_null_part_is_not_set()
    {
        var read = Read("""{"guardian": {"enabled": false, "on_injection": "block", "behaviour": null}}""");

        Assert.Equal(GuardianPolicy.Off with { OnInjection = GuardianAction.Block }, read.Policy!.Guardian);
        Assert.DoesNotContain("guardian.behaviour", read.ExplicitFields);
    }

    [Fact]
    public void An_empty_mapping_is_the_guardian_with_the_base_settings()
    {
        Assert.Equal(GuardianPolicy.On, Read("""{"guardian": {}}""").Policy!.Guardian);
    }

    [Fact]
    public void Hosts_are_kept_lower_case_once_each_and_an_empty_list_clears_the_base_list()
    {
        var basePolicy = Standard with { Guardian = GuardianPolicy.On with { AllowedHosts = ["old.example"] } };

        Assert.Equal(["api.example.com", "10.0.0.7", "::1", "localhost"],
            Read("""{"guardian": {"allowed_hosts": ["api.example.com", "API.EXAMPLE.COM", "10.0.0.7", "[::1]", "localhost"]}}""")
                .Policy!.Guardian.AllowedHosts);
        Assert.Empty(Read("""{"guardian": {"allowed_hosts": []}}""", basePolicy).Policy!.Guardian.AllowedHosts);
    }

    [Theory]
    [InlineData("""{"guardian": "on"}""", "policy.guardian", "but is the string 'on'")]
    [InlineData("""{"guardian": 1}""", "policy.guardian", "but is the number 1")]
    [InlineData("""{"guardian": {"enabled": "yes"}}""", "policy.guardian.enabled", "'guardian.enabled' of the policy must be true or false, but is the string 'yes'")]
    [InlineData("""{"guardian": {"on_injection": "blok"}}""", "policy.guardian.on_injection", "'guardian.on_injection' of the policy must be one of escalate, block, but is the string 'blok' (did you mean 'block'?)")]
    [InlineData("""{"guardian": {"on_leak": "redact"}}""", "policy.guardian.on_leak", "'guardian.on_leak' of the policy must be one of strip, block, but is the string 'redact'")]
    [InlineData("""{"guardian": {"on_leak": true}}""", "policy.guardian.on_leak", "one of strip, block, but is true")]
    [InlineData("""{"guardian": {"untrusted_input": "true"}}""", "policy.guardian.untrusted_input", "must be true or false, but is the string 'true'")]
    [InlineData("""{"guardian": {"behaviour": 0}}""", "policy.guardian.behaviour", "must be true or false, but is the number 0")]
    [InlineData("""{"guardian": {"allowed_hosts": "api.example.com"}}""", "policy.guardian.allowed_hosts", "'guardian.allowed_hosts' of the policy must be a list of host names, such as [api.example.com], but is the string")]
    [InlineData("""{"guardian": {"allowed_hosts": ["api.example.com", 3]}}""", "policy.guardian.allowed_hosts[1]", "entry 2 of 'guardian.allowed_hosts' of the policy must be a host name or IP address")]
    [InlineData("""{"guardian": {"allowed_hosts": ["https://api.example.com/v1"]}}""", "policy.guardian.allowed_hosts[0]", "which has a scheme: write the host alone, such as api.example.com")]
    [InlineData("""{"guardian": {"allowed_hosts": ["api.example.com/v1"]}}""", "policy.guardian.allowed_hosts[0]", "which has a path")]
    [InlineData("""{"guardian": {"allowed_hosts": ["api.example.com:8443"]}}""", "policy.guardian.allowed_hosts[0]", "which has a port")]
    [InlineData("""{"guardian": {"allowed_hosts": ["*.example.com"]}}""", "policy.guardian.allowed_hosts[0]", "which has a wildcard: a host includes its subdomains, so write example.com")]
    [InlineData("""{"guardian": {"allowed_hosts": ["api example.com"]}}""", "policy.guardian.allowed_hosts[0]", "which is not a host name")]
    [InlineData("""{"guardian": {"allowed_hosts": [""]}}""", "policy.guardian.allowed_hosts[0]", "which is not a host name")]
    [InlineData("""{"guardian": {"behavior": false}}""", "policy.guardian.behavior", "unknown field 'behavior' in 'guardian' of the policy (did you mean 'behaviour'?")]
    [InlineData("""{"collusion_audit": "yes"}""", "policy.collusion_audit", "must be true or false, or a mapping of enabled, on_finding")]
    [InlineData("""{"collusion_audit": {"enabled": 1}}""", "policy.collusion_audit.enabled", "'collusion_audit.enabled' of the policy must be true or false, but is the number 1")]
    [InlineData("""{"collusion_audit": {"on_finding": "escalte"}}""", "policy.collusion_audit.on_finding", "must be one of record, escalate, but is the string 'escalte' (did you mean 'escalate'?)")]
    [InlineData("""{"collusion_audit": {"on_findings": "record"}}""", "policy.collusion_audit.on_findings", "unknown field 'on_findings' in 'collusion_audit' of the policy (did you mean 'on_finding'?")]
    public void A_wrong_part_is_reported_naming_its_path(string json, string path, string problem)
    {
        var read = Read(json);

        Assert.Null(read.Policy);
        var (field, message) = read.Error!.Value;
        Assert.Equal(path, field);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_messages_say_what_the_field_and_each_part_take()
    {
        Assert.Equal($"'guardian' of the policy must be {GuardianExpected}, but is the string 'on'", Message("""{"guardian": "on"}"""));
        Assert.Equal("unknown field 'behavior' in 'guardian' of the policy (did you mean 'behaviour'? expected enabled, on_injection, " +
            "on_leak, allowed_hosts, untrusted_input, behaviour)", Message("""{"guardian": {"behavior": false}}"""));
        Assert.Equal("entry 1 of 'guardian.allowed_hosts' of the policy must be a host name or IP address such as api.example.com " +
            "(no scheme, port or path; subdomains are included), but is the string 'https://api.example.com/v1', which has a scheme: " +
            "write the host alone, such as api.example.com", Message("""{"guardian": {"allowed_hosts": ["https://api.example.com/v1"]}}"""));
        Assert.Equal("'collusion_audit' of the policy must be true or false, or a mapping of enabled, on_finding (each optional; a " +
            "mapping without enabled turns the audit on), such as { on_finding: escalate }, but is the string 'yes'",
            Message("""{"collusion_audit": "yes"}"""));
    }

    [Fact]
    public void A_host_with_user_information_is_refused_without_repeating_it()
    {
        var message = Message("""{"guardian": {"allowed_hosts": ["ops:hunter2@api.example.com"]}}""");

        Assert.EndsWith("but carries user information (before '@'), which a host name has none of", message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_guardian_is_reported_not_only_the_first()
    {
        var read = Read("""{"guardian": {"enabled": 1, "on_injection": "stop", "allowed_hosts": ["a.example", "b/c"], "colour": "red"}}""");

        Assert.Equal(["policy.guardian.enabled", "policy.guardian.on_injection", "policy.guardian.allowed_hosts[1]", "policy.guardian.colour"],
            read.Problems.Select(p => p.Field));
        Assert.Equal(PolicyProblemKind.UnknownField, read.Problems[3].Kind);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Collusion_audit_is_switched_and_a_mapping_without_enabled_turns_it_on(string written, bool on)
    {
        var basePolicy = Standard with { CollusionAudit = new CollusionPolicy { Enabled = !on, OnFinding = CollusionAction.Escalate } };

        var switched = Read($$"""{"collusion_audit": {{written}}}""", basePolicy);
        var mapped = Read("""{"collusion_audit": {"on_finding": "escalate"}}""");

        Assert.Equal(basePolicy.CollusionAudit with { Enabled = on }, switched.Policy!.CollusionAudit);
        Assert.Equal(["collusion_audit", "collusion_audit.enabled"], switched.ExplicitFields.Order());
        Assert.Equal(new CollusionPolicy { Enabled = true, OnFinding = CollusionAction.Escalate }, mapped.Policy!.CollusionAudit);
        Assert.Equal(["collusion_audit", "collusion_audit.enabled", "collusion_audit.on_finding"], mapped.ExplicitFields.Order());
    }

    [Fact]
    public void A_tenant_policy_reads_the_parts_and_names_a_wrong_one_under_its_field()
    {
        using var good = JsonDocument.Parse("""{"ceiling": {"guardian": {"on_leak": "block"}, "collusion_audit": true}}""");
        using var bad = JsonDocument.Parse("""{"default": {"guardian": {"on_leak": "drop"}}}""");

        var (tenant, _) = TenantPolicyReader.Read(good.RootElement);
        var (_, error) = TenantPolicyReader.Read(bad.RootElement);

        Assert.Equal(GuardianPolicy.On with { OnLeak = LeakAction.Block }, tenant!.Ceiling!.Guardian);
        Assert.Equal(CollusionPolicy.On, tenant.Ceiling.CollusionAudit);
        Assert.Equal("default.guardian.on_leak", error!.Value.Field);
        Assert.Contains("'guardian.on_leak' of the tenant's default must be one of strip, block", error.Value.Problem, StringComparison.Ordinal);
    }
}
