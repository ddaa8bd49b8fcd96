using System.Text.Json;
using MeshFlow.Governance;
using MeshFlow.Governance.Collusion;
using MeshFlow.Governance.Guardian;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class PolicyGuardianCeilingTests
{
    private static readonly HashSet<string> Nothing = [];

    private static Policy With(GuardianPolicy guardian) => new() { Guardian = guardian };

    private static Policy With(CollusionPolicy audit) => new() { CollusionAudit = audit };

    private static PolicyCeilingResult Explicit(Policy requested, Policy ceiling, params string[] parts) =>
        PolicyCeiling.Apply(requested, new HashSet<string>([.. parts.Select(p => p.Split('.')[0]), .. parts]), ceiling);

    public static TheoryData<string, Policy, Policy, Policy, string> LooserParts => new()
    {
        {
            "guardian.enabled", With(GuardianPolicy.Off), With(GuardianPolicy.On), With(GuardianPolicy.On),
            "guardian.enabled is off, but the tenant's ceiling requires it on"
        },
        {
            "guardian.on_injection", With(GuardianPolicy.On), With(GuardianPolicy.On with { OnInjection = GuardianAction.Block }),
            With(GuardianPolicy.On with { OnInjection = GuardianAction.Block }),
            "guardian.on_injection escalate is looser than the tenant's ceiling of block"
        },
        {
            "guardian.on_leak", With(GuardianPolicy.On), With(GuardianPolicy.On with { OnLeak = LeakAction.Block }),
            With(GuardianPolicy.On with { OnLeak = LeakAction.Block }), "guardian.on_leak strip is looser than the tenant's ceiling of block"
        },
        {
            "guardian.untrusted_input", With(GuardianPolicy.On), With(GuardianPolicy.On with { UntrustedInput = true }),
            With(GuardianPolicy.On with { UntrustedInput = true }), "guardian.untrusted_input is off, but the tenant's ceiling requires it on"
        },
        {
            "guardian.behaviour", With(GuardianPolicy.On with { Behaviour = false }), With(GuardianPolicy.On), With(GuardianPolicy.On),
            "guardian.behaviour is off, but the tenant's ceiling requires it on"
        },
        {
            "collusion_audit.enabled", With(CollusionPolicy.Off), With(CollusionPolicy.On), With(CollusionPolicy.On),
            "collusion_audit.enabled is off, but the tenant's ceiling requires it on"
        },
        {
            "collusion_audit.on_finding", With(CollusionPolicy.On), With(CollusionPolicy.On with { OnFinding = CollusionAction.Escalate }),
            With(CollusionPolicy.On with { OnFinding = CollusionAction.Escalate }),
            "collusion_audit.on_finding record is looser than the tenant's ceiling of escalate"
        },
    };

    [Theory]
    [MemberData(nameof(LooserParts))]
    public void A_looser_part_the_request_wrote_is_refused_naming_it_and_the_ceiling(string part, Policy requested, Policy ceiling,
        Policy tightened, string problem)
    {
        _ = tightened;

        var result = Explicit(requested, ceiling, part);

        Assert.Null(result.Policy);
        Assert.Equal(("policy." + part, problem), Assert.Single(result.Errors));
    }

    [Theory]
    [MemberData(nameof(LooserParts))]
    public void A_looser_part_the_request_only_inherited_is_tightened_to_the_ceiling(string part, Policy requested, Policy ceiling,
        Policy tightened, string problem)
    {
        _ = problem;

        // The field alone: the request wrote some other part of it, not this one.
        var result = PolicyCeiling.Apply(requested, new HashSet<string>([part.Split('.')[0]]), ceiling);

        Assert.Empty(result.Errors);
        Assert.Equal(tightened, result.Policy);
    }

    [Theory]
    [MemberData(nameof(LooserParts))]
    public void A_part_as_tight_as_the_ceiling_is_kept(string part, Policy requested, Policy ceiling, Policy tightened, string problem)
    {
        _ = (requested, tightened, problem);

        Assert.Equal(ceiling, Explicit(ceiling, ceiling, part).Policy);
    }

    [Fact]
    public void Tighter_parts_stay_as_requested()
    {
        var requested = With(new GuardianPolicy
        {
            Enabled = true, OnInjection = GuardianAction.Block, OnLeak = LeakAction.Block, UntrustedInput = true, AllowedHosts = ["api.example.com"],
        }) with
        {
            CollusionAudit = CollusionPolicy.On with { OnFinding = CollusionAction.Escalate },
        };

        var result = Explicit(requested, Policy.ForMode(PolicyModes.Strict) with { CollusionAudit = CollusionPolicy.On },
            "guardian.enabled", "guardian.on_injection", "guardian.on_leak", "guardian.untrusted_input", "guardian.allowed_hosts",
            "collusion_audit.on_finding");

        Assert.Empty(result.Errors);
        Assert.Equal((requested.Guardian, requested.CollusionAudit), (result.Policy!.Guardian, result.Policy.CollusionAudit));
    }

    [Fact]
    public void A_ceiling_without_the_guardian_asks_nothing_of_a_runs_guardian_settings()
    {
        var ceiling = With(GuardianPolicy.Off with { OnInjection = GuardianAction.Block, UntrustedInput = true, AllowedHosts = ["api.example.com"] })
            with { CollusionAudit = CollusionPolicy.Off with { OnFinding = CollusionAction.Escalate } };
        var requested = With(GuardianPolicy.On with { Behaviour = false, AllowedHosts = ["elsewhere.example"] });

        var result = Explicit(requested, ceiling, "guardian.enabled", "guardian.behaviour", "guardian.allowed_hosts", "collusion_audit.enabled");

        Assert.Empty(result.Errors);
        Assert.Equal(requested, result.Policy);
    }

    [Fact]
    public void A_run_switching_the_guardian_off_under_a_ceiling_that_requires_it_is_refused_and_an_inherited_off_gets_the_ceilings_parts()
    {
        var ceiling = Policy.ForMode(PolicyModes.Hipaa);

        var refused = Explicit(Policy.ForMode(PolicyModes.Standard), ceiling, "guardian.enabled", "collusion_audit.enabled");
        var tightened = PolicyCeiling.Apply(Policy.ForMode(PolicyModes.Standard), Nothing, ceiling).Policy!;

        Assert.Equal(["policy.guardian.enabled", "policy.collusion_audit.enabled"], refused.Errors.Select(e => e.Field));
        Assert.Equal((ceiling.Guardian, ceiling.CollusionAudit), (tightened.Guardian, tightened.CollusionAudit));
    }

    [Fact]
    public void A_host_outside_the_ceilings_list_is_refused_at_its_position_naming_the_host()
    {
        var ceiling = With(GuardianPolicy.On with { AllowedHosts = ["example.com", "docs.example.org"] });
        var requested = With(GuardianPolicy.On with { AllowedHosts = ["api.example.com", "evil.example", "example.org"] });

        var result = Explicit(requested, ceiling, "guardian.allowed_hosts");

        Assert.Null(result.Policy);
        Assert.Equal(
        [
            ("policy.guardian.allowed_hosts[1]", "guardian.allowed_hosts includes 'evil.example', which the tenant's ceiling does not allow " +
                "(allowed: example.com, docs.example.org, and their subdomains)"),
            ("policy.guardian.allowed_hosts[2]", "guardian.allowed_hosts includes 'example.org', which the tenant's ceiling does not allow " +
                "(allowed: example.com, docs.example.org, and their subdomains)"),
        ], result.Errors);
    }

    [Fact]
    public void A_subdomain_of_a_ceiling_host_is_within_it()
    {
        var ceiling = With(GuardianPolicy.On with { AllowedHosts = ["example.com"] });
        var requested = With(GuardianPolicy.On with { AllowedHosts = ["example.com", "api.example.com"] });

        Assert.Equal(requested, Explicit(requested, ceiling, "guardian.allowed_hosts").Policy);
    }

    [Fact]
    public void An_empty_host_list_gets_the_ceilings_whether_written_or_inherited()
    {
        var ceiling = With(GuardianPolicy.On with { AllowedHosts = ["api.example.com"] });

        var written = Explicit(With(GuardianPolicy.On), ceiling, "guardian.allowed_hosts");
        var inherited = PolicyCeiling.Apply(With(GuardianPolicy.On), Nothing, ceiling);

        Assert.Empty(written.Errors);
        Assert.Equal(["api.example.com"], written.Policy!.Guardian.AllowedHosts);
        Assert.Equal(["api.example.com"], inherited.Policy!.Guardian.AllowedHosts);
    }

    [Fact]
    public void An_inherited_host_list_is_cut_to_the_ceiling_and_refused_when_nothing_is_left()
    {
        var ceiling = With(GuardianPolicy.On with { AllowedHosts = ["example.com"] });

        var cut = PolicyCeiling.Apply(With(GuardianPolicy.On with { AllowedHosts = ["evil.example", "api.example.com"] }), Nothing, ceiling);
        var refused = PolicyCeiling.Apply(With(GuardianPolicy.On with { AllowedHosts = ["evil.example"] }), Nothing, ceiling);

        Assert.Equal(["api.example.com"], cut.Policy!.Guardian.AllowedHosts);
        Assert.Null(refused.Policy);
        Assert.Equal(("policy.guardian.allowed_hosts",
            "none of guardian.allowed_hosts (evil.example) is within the tenant's ceiling (allowed: example.com, and their subdomains)"),
            Assert.Single(refused.Errors));
    }

    [Fact]
    public void Every_looser_part_is_reported_at_once()
    {
        var ceiling = With(new GuardianPolicy
        {
            Enabled = true, OnInjection = GuardianAction.Block, OnLeak = LeakAction.Block, AllowedHosts = ["example.com"], UntrustedInput = true,
        });
        var requested = With(GuardianPolicy.Off with { Behaviour = false, AllowedHosts = ["example.org"] });

        var result = Explicit(requested, ceiling, "guardian.enabled", "guardian.on_injection", "guardian.on_leak", "guardian.allowed_hosts",
            "guardian.untrusted_input", "guardian.behaviour");

        Assert.Equal(["policy.guardian.enabled", "policy.guardian.on_injection", "policy.guardian.on_leak", "policy.guardian.allowed_hosts[0]",
            "policy.guardian.untrusted_input", "policy.guardian.behaviour"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void A_request_read_from_json_is_refused_only_for_the_parts_it_wrote()
    {
        var ceiling = Policy.ForMode(PolicyModes.Hipaa) with { Guardian = Policy.ForMode(PolicyModes.Hipaa).Guardian with { OnInjection = GuardianAction.Block } };
        using var wrote = JsonDocument.Parse("""{"guardian": {"allowed_hosts": ["api.example.com"]}}""");
        using var loosened = JsonDocument.Parse("""{"guardian": {"untrusted_input": false}}""");
        var read = PolicyJsonReader.Read(wrote.RootElement, Policy.ForMode(PolicyModes.Standard));
        var readLoose = PolicyJsonReader.Read(loosened.RootElement, Policy.ForMode(PolicyModes.Standard));

        var held = PolicyCeiling.Apply(read.Policy!, read.ExplicitFields, ceiling);
        var refused = PolicyCeiling.Apply(readLoose.Policy!, readLoose.ExplicitFields, ceiling);

        Assert.Equal(ceiling.Guardian with { AllowedHosts = ["api.example.com"] }, held.Policy!.Guardian);
        Assert.Equal(("policy.guardian.untrusted_input", "guardian.untrusted_input is off, but the tenant's ceiling requires it on"),
            Assert.Single(refused.Errors));
    }

    [Fact]
    public void A_tenant_default_looser_than_the_ceiling_is_refused_naming_the_part()
    {
        using var body = JsonDocument.Parse("""
            {"default": {"guardian": {"on_leak": "strip"}}, "ceiling": {"guardian": {"on_leak": "block"}}}
            """);

        var (tenant, error) = TenantPolicyReader.Read(body.RootElement);

        Assert.Null(tenant);
        Assert.Equal(("default.guardian.on_leak", "guardian.on_leak strip is looser than the tenant's ceiling of block"), error);
    }

    [Fact]
    public void A_ceiling_of_fields_that_names_no_guardian_requires_none()
    {
        using var body = JsonDocument.Parse("""{"ceiling": {"max_steps": 50}}""");
        var (tenant, _) = TenantPolicyReader.Read(body.RootElement);
        var requested = With(GuardianPolicy.Off with { Behaviour = false }) with { CollusionAudit = CollusionPolicy.Off };

        var result = Explicit(requested, tenant!.Ceiling!, "guardian.enabled", "guardian.behaviour", "collusion_audit.enabled");

        Assert.Empty(result.Errors);
        Assert.Equal((requested.Guardian, requested.CollusionAudit), (result.Policy!.Guardian, result.Policy.CollusionAudit));
    }
}
