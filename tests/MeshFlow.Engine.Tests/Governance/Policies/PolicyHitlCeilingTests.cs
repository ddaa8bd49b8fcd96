using System.Text.Json;
using MeshFlow.Approvals;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class PolicyHitlCeilingTests
{
    private static readonly HashSet<string> Nothing = [];

    private static Policy With(HitlPolicy hitl, RiskTier? riskThreshold = null) => new() { Hitl = hitl, RiskThreshold = riskThreshold };

    private static Policy Ceiling(HitlPolicy hitl) => With(hitl);

    private static PolicyCeilingResult Explicit(Policy requested, Policy ceiling, params string[] fields) =>
        PolicyCeiling.Apply(requested, new HashSet<string>(["hitl", .. fields]), ceiling);

    public static TheoryData<string, HitlPolicy, HitlPolicy, HitlPolicy, string> LooserParts => new()
    {
        {
            "hitl.enabled", HitlPolicy.Default with { Enabled = false }, HitlPolicy.Default, HitlPolicy.Default,
            "hitl.enabled is off, but the tenant's ceiling requires it on"
        },
        {
            "hitl.timeout_seconds", HitlPolicy.Default with { TimeoutSeconds = 172_800 }, HitlPolicy.Default, HitlPolicy.Default,
            "hitl.timeout_seconds 172800 is above the tenant's ceiling of 86400"
        },
        {
            "hitl.risk_threshold", HitlPolicy.Default with { RiskThreshold = RiskTier.High }, HitlPolicy.Default with { RiskThreshold = RiskTier.Medium },
            HitlPolicy.Default with { RiskThreshold = RiskTier.Medium }, "hitl.risk_threshold high is above the tenant's ceiling of medium"
        },
        {
            "hitl.risk_threshold", HitlPolicy.Default, HitlPolicy.Default with { RiskThreshold = RiskTier.Medium },
            HitlPolicy.Default with { RiskThreshold = RiskTier.Medium }, "hitl.risk_threshold none is above the tenant's ceiling of medium"
        },
        {
            "hitl.on_timeout", HitlPolicy.Default with { OnTimeout = HitlTimeoutAction.Approve }, HitlPolicy.Default, HitlPolicy.Default,
            "hitl.on_timeout approve lets a pause nobody decided go through, but the tenant's ceiling resolves it with reject"
        },
        {
            "hitl.on_timeout", HitlPolicy.Default with { OnTimeout = HitlTimeoutAction.Approve },
            HitlPolicy.Default with { OnTimeout = HitlTimeoutAction.Escalate, EscalateTo = "https://oncall.example/hook" },
            HitlPolicy.Default with { OnTimeout = HitlTimeoutAction.Escalate, EscalateTo = "https://oncall.example/hook" },
            "hitl.on_timeout approve lets a pause nobody decided go through, but the tenant's ceiling resolves it with escalate (then reject)"
        },
    };

    [Theory]
    [MemberData(nameof(LooserParts))]
    public void A_looser_part_the_request_wrote_is_refused_naming_it_and_the_ceiling(string part, HitlPolicy requested, HitlPolicy ceiling,
        HitlPolicy tightened, string problem)
    {
        _ = tightened;

        var result = Explicit(With(requested), Ceiling(ceiling), part);

        Assert.Null(result.Policy);
        Assert.Equal(("policy." + part, problem), Assert.Single(result.Errors));
    }

    [Theory]
    [MemberData(nameof(LooserParts))]
    public void A_looser_part_the_request_only_inherited_is_tightened_to_the_ceiling(string part, HitlPolicy requested, HitlPolicy ceiling,
        HitlPolicy tightened, string problem)
    {
        _ = (part, problem);

        // "hitl" alone: the request wrote some other part of hitl, not this one.
        var result = Explicit(With(requested), Ceiling(ceiling));

        Assert.Empty(result.Errors);
        Assert.Equal(tightened, result.Policy!.Hitl);
    }

    [Fact]
    public void Tighter_parts_stay_as_requested()
    {
        var ceiling = HitlPolicy.Default with { RiskThreshold = RiskTier.High };
        var requested = HitlPolicy.Default with { RiskThreshold = RiskTier.Low, TimeoutSeconds = 60 };

        var result = Explicit(With(requested), Ceiling(ceiling), "hitl.risk_threshold", "hitl.timeout_seconds", "hitl.enabled");

        Assert.Equal(requested, result.Policy!.Hitl);
    }

    [Fact]
    public void A_run_that_escalates_at_the_ceilings_tier_through_risk_threshold_keeps_the_hitl_tier_it_asked_for()
    {
        var ceiling = Ceiling(HitlPolicy.Default with { RiskThreshold = RiskTier.Medium });
        var requested = With(HitlPolicy.Default with { RiskThreshold = RiskTier.Critical }, riskThreshold: RiskTier.Low);

        var result = Explicit(requested, ceiling, "hitl.risk_threshold");

        Assert.Equal(requested, result.Policy);
        Assert.Equal(RiskTier.Low, result.Policy!.ApprovalThreshold);
    }

    [Fact]
    public void Urls_and_a_timeout_action_that_lets_nothing_through_are_settings_the_run_chooses()
    {
        var ceiling = Ceiling(HitlPolicy.Default with
        {
            WebhookUrl = "https://tenant.example/hook", OnTimeout = HitlTimeoutAction.Escalate, EscalateTo = "https://tenant.example/escalate",
        });
        var own = HitlPolicy.Default with
        {
            WebhookUrl = "https://run.example/hook", OnTimeout = HitlTimeoutAction.Reject, EscalateTo = "https://run.example/escalate",
        };

        Assert.Equal(own, PolicyCeiling.Apply(With(own), Nothing, ceiling).Policy!.Hitl);
        Assert.Equal(own, Explicit(With(own), ceiling, "hitl.webhook_url", "hitl.on_timeout", "hitl.escalate_to").Policy!.Hitl);
    }

    [Fact]
    public void A_url_the_run_leaves_unset_comes_from_the_ceiling_and_one_it_wrote_as_none_stays_none()
    {
        var ceiling = Ceiling(HitlPolicy.Default with { WebhookUrl = "https://tenant.example/hook", EscalateTo = "https://tenant.example/escalate" });

        var unset = PolicyCeiling.Apply(new Policy(), Nothing, ceiling).Policy!.Hitl;
        var none = Explicit(new Policy(), ceiling, "hitl.webhook_url", "hitl.escalate_to").Policy!.Hitl;

        Assert.Equal(("https://tenant.example/hook", "https://tenant.example/escalate"), (unset.WebhookUrl, unset.EscalateTo));
        Assert.Equal(HitlPolicy.Default, none);
        Assert.Equal(HitlTimeoutAction.Reject, unset.OnTimeout);
    }

    [Fact]
    public void Every_looser_part_is_reported_at_once()
    {
        var ceiling = Ceiling(HitlPolicy.Default with { RiskThreshold = RiskTier.High, TimeoutSeconds = 600 });
        var requested = With(new HitlPolicy { Enabled = false, TimeoutSeconds = 3_600 });

        var result = Explicit(requested, ceiling, "hitl.enabled", "hitl.risk_threshold", "hitl.timeout_seconds");

        Assert.Equal(["policy.hitl.enabled", "policy.hitl.risk_threshold", "policy.hitl.timeout_seconds"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void A_request_read_from_json_is_refused_only_for_the_parts_it_wrote()
    {
        using var document = JsonDocument.Parse("""{"hitl": {"webhook_url": "https://run.example/hook"}}""");
        var read = PolicyJsonReader.Read(document.RootElement, Policy.ForMode(PolicyModes.Standard) with { Hitl = HitlPolicy.Default with { TimeoutSeconds = 7_200 } });
        var ceiling = Ceiling(HitlPolicy.Default with { TimeoutSeconds = 3_600 });

        var held = PolicyCeiling.Apply(read.Policy!, read.ExplicitFields, ceiling);

        Assert.Empty(held.Errors);
        Assert.Equal(HitlPolicy.Default with { WebhookUrl = "https://run.example/hook", TimeoutSeconds = 3_600 }, held.Policy!.Hitl);
    }

    [Fact]
    public void A_ceiling_of_fields_that_names_no_hitl_lets_a_run_turn_approvals_off_and_wait_30_days()
    {
        var (tenant, _) = ReadTenant("""{"ceiling": {"max_steps": 50}}""");
        var requested = new Policy { Hitl = new HitlPolicy { Enabled = false, TimeoutSeconds = 2_592_000 } };

        var result = Explicit(requested, tenant!.Ceiling!, "hitl.enabled", "hitl.timeout_seconds");

        Assert.Empty(result.Errors);
        Assert.Equal(requested.Hitl, result.Policy!.Hitl);
    }

    [Fact]
    public void A_ceiling_of_a_mode_keeps_approvals_on()
    {
        var (tenant, _) = ReadTenant("""{"ceiling": "strict"}""");

        var result = Explicit(new Policy { Hitl = HitlPolicy.Default with { Enabled = false } }, tenant!.Ceiling!, "hitl.enabled");

        Assert.Equal(("policy.hitl.enabled", "hitl.enabled is off, but the tenant's ceiling requires it on"), Assert.Single(result.Errors));
    }

    [Fact]
    public void A_tenant_default_that_waits_longer_than_the_ceiling_is_refused_naming_the_part()
    {
        var (tenant, error) = ReadTenant("""{"default": {"hitl": {"timeout_seconds": 7200}}, "ceiling": {"hitl": {"timeout_seconds": 3600}}}""");

        Assert.Null(tenant);
        Assert.Equal(("default.hitl.timeout_seconds", "hitl.timeout_seconds 7200 is above the tenant's ceiling of 3600"), error);
    }

    [Fact]
    public void A_tenant_default_gets_the_ceilings_webhook_when_it_names_none()
    {
        var (tenant, _) = ReadTenant("""{"default": "standard", "ceiling": {"hitl": {"webhook_url": "https://tenant.example/hook"}}}""");

        Assert.Equal("https://tenant.example/hook", tenant!.Default!.Hitl.WebhookUrl);
    }

    private static (TenantPolicy? Policy, (string Field, string Problem)? Error) ReadTenant(string json)
    {
        using var document = JsonDocument.Parse(json);
        return TenantPolicyReader.Read(document.RootElement);
    }
}
