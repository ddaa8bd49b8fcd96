using MeshFlow.Governance;
using MeshFlow.Governance.Guardian;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class PolicyCeilingTests
{
    private static readonly HashSet<string> Nothing = [];

    private static PolicyCeilingResult Explicit(Policy requested, Policy ceiling, params string[] fields) =>
        PolicyCeiling.Apply(requested, new HashSet<string>(fields), ceiling);

    public static TheoryData<string, Policy, Policy, string> LooserFields => new()
    {
        { "max_steps", new Policy { MaxSteps = 500 }, new Policy { MaxSteps = 50 }, "max_steps 500 is above the tenant's ceiling of 50" },
        { "max_steps", new Policy { MaxSteps = 0 }, new Policy { MaxSteps = 50 }, "max_steps none is above the tenant's ceiling of 50" },
        { "max_tokens", new Policy { MaxTokens = 9_000 }, new Policy { MaxTokens = 1_000 }, "max_tokens 9000 is above the tenant's ceiling of 1000" },
        { "max_cost_usd", new Policy { MaxCostUsd = 5m }, new Policy { MaxCostUsd = 2.5m }, "max_cost_usd 5 is above the tenant's ceiling of 2.5" },
        { "step_timeout", new Policy(), new Policy { StepTimeout = TimeSpan.FromMinutes(1) }, "step_timeout none is above the tenant's ceiling of 1m" },
        { "max_output_chars", new Policy { MaxOutputChars = 900 }, new Policy { MaxOutputChars = 100 }, "max_output_chars 900 is above" },
        { "max_wall_time", new Policy { MaxWallTime = TimeSpan.FromHours(1) }, new Policy { MaxWallTime = TimeSpan.FromMinutes(10) }, "max_wall_time 1h is above the tenant's ceiling of 10m" },
        { "max_tool_calls", new Policy { MaxToolCalls = 30 }, new Policy { MaxToolCalls = 25 }, "max_tool_calls 30 is above" },
        { "risk_threshold", new Policy { RiskThreshold = RiskTier.High }, new Policy { RiskThreshold = RiskTier.Medium }, "risk_threshold high is above the tenant's ceiling of medium" },
        { "risk_threshold", new Policy(), new Policy { RiskThreshold = RiskTier.Medium }, "risk_threshold none is above" },
        { "uncertainty_threshold", new Policy { UncertaintyThreshold = 0.9 }, new Policy { UncertaintyThreshold = 0.7 }, "uncertainty_threshold 0.9 is above the tenant's ceiling of 0.7" },
        { "max_daily_cost_usd", new Policy(), new Policy { MaxDailyCostUsd = 100m }, "max_daily_cost_usd none is above the tenant's ceiling of 100" },
        { "scrub_phi", new Policy(), new Policy { ScrubPhi = true }, "scrub_phi is off, but the tenant's ceiling requires it on" },
    };

    [Theory]
    [MemberData(nameof(LooserFields))]
    public void A_looser_field_set_explicitly_is_refused_naming_the_field_and_the_ceiling(string field, Policy requested, Policy ceiling, string problem)
    {
        var result = Explicit(requested, ceiling, field);

        Assert.Null(result.Policy);
        var (name, message) = Assert.Single(result.Errors);
        Assert.Equal("policy." + field, name);
        Assert.StartsWith(problem, message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LooserFields))]
    public void A_looser_field_not_set_explicitly_is_tightened_to_the_ceiling(string field, Policy requested, Policy ceiling, string problem)
    {
        _ = problem;
        Assert.True(PolicyFields.TryGet(field, out var definition));

        var result = PolicyCeiling.Apply(requested, Nothing, ceiling);

        Assert.Empty(result.Errors);
        Assert.Equal(definition.Format(ceiling), definition.Format(result.Policy!));
        Assert.Equal(requested.Mode, result.Policy!.Mode);
    }

    [Theory]
    [MemberData(nameof(LooserFields))]
    public void A_field_as_tight_as_the_ceiling_or_tighter_is_kept(string field, Policy requested, Policy ceiling, string problem)
    {
        _ = (requested, problem);
        var tighter = ceiling;

        var result = Explicit(tighter, ceiling, field);

        Assert.Empty(result.Errors);
        Assert.Equal(ceiling, result.Policy);
    }

    [Fact]
    public void Tighter_numbers_and_thresholds_stay_as_requested()
    {
        var ceiling = Policy.ForMode(PolicyModes.Standard);
        var requested = Policy.ForMode(PolicyModes.Hipaa);

        var result = PolicyCeiling.Apply(requested, new HashSet<string>(PolicyFields.All.Select(f => f.Name)), ceiling);

        Assert.Equal(requested, result.Policy);
    }

    [Fact]
    public void Without_a_ceiling_the_request_stands()
    {
        var requested = new Policy();

        Assert.Same(requested, PolicyCeiling.Apply(requested, Nothing, null).Policy);
    }

    [Fact]
    public void A_requested_tool_outside_the_ceiling_is_refused_at_its_position()
    {
        var ceiling = new Policy { AllowedTools = ["search", "fetch"] };

        var result = Explicit(new Policy { AllowedTools = ["search", "shell"] }, ceiling, "allowed_tools");

        var (field, problem) = Assert.Single(result.Errors);
        Assert.Equal("policy.allowed_tools[1]", field);
        Assert.Equal("allowed_tools includes 'shell', which the tenant's ceiling does not allow (allowed: search, fetch)", problem);
    }

    [Fact]
    public void An_explicitly_empty_tool_list_under_a_ceiling_list_is_refused()
    {
        var result = Explicit(new Policy(), new Policy { AllowedTools = ["search"] }, "allowed_tools");

        Assert.Equal(("policy.allowed_tools", "allowed_tools is empty (any tool), but the tenant's ceiling allows only search"), Assert.Single(result.Errors));
    }

    [Fact]
    public void An_implicit_tool_list_gets_the_ceiling_list_when_empty_and_the_intersection_otherwise()
    {
        var ceiling = new Policy { AllowedTools = ["search", "fetch"] };

        Assert.Equal(["search", "fetch"], PolicyCeiling.Apply(new Policy(), Nothing, ceiling).Policy!.AllowedTools);
        Assert.Equal(["search"], PolicyCeiling.Apply(new Policy { AllowedTools = ["shell", "search"] }, Nothing, ceiling).Policy!.AllowedTools);
        Assert.Equal(["fetch"], Explicit(new Policy { AllowedTools = ["fetch"] }, ceiling, "allowed_tools").Policy!.AllowedTools);
    }

    [Fact]
    public void An_implicit_tool_list_with_no_tool_in_the_ceiling_is_refused_since_empty_would_allow_any()
    {
        var result = PolicyCeiling.Apply(new Policy { AllowedTools = ["shell"] }, Nothing, new Policy { AllowedTools = ["search"] });

        Assert.Null(result.Policy);
        Assert.Equal("policy.allowed_tools", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void A_risk_override_below_the_ceiling_is_refused_when_explicit_and_raised_when_not()
    {
        var ceiling = new Policy { Risk = new Dictionary<string, RiskTier> { ["shell"] = RiskTier.Critical } };
        var requested = new Policy { Risk = new Dictionary<string, RiskTier> { ["shell"] = RiskTier.High } };

        var refused = Explicit(requested, ceiling, "risk");
        var raised = PolicyCeiling.Apply(requested, Nothing, ceiling);

        Assert.Equal(("policy.risk.shell", "risk of 'shell' high is below the tenant's ceiling of critical"), Assert.Single(refused.Errors));
        Assert.Equal(RiskTier.Critical, raised.Policy!.Risk["shell"]);
    }

    [Fact]
    public void A_higher_risk_override_stays_and_a_tool_the_request_does_not_override_gets_the_ceiling_tier()
    {
        var ceiling = new Policy { Risk = new Dictionary<string, RiskTier> { ["fetch"] = RiskTier.Medium, ["shell"] = RiskTier.High } };
        var requested = new Policy { Risk = new Dictionary<string, RiskTier> { ["shell"] = RiskTier.Critical } };

        var result = Explicit(requested, ceiling, "risk");

        Assert.Equal(new Dictionary<string, RiskTier> { ["fetch"] = RiskTier.Medium, ["shell"] = RiskTier.Critical }, result.Policy!.Risk);
    }

    [Fact]
    public void Every_looser_explicit_field_is_reported_and_the_rest_tightened()
    {
        var ceiling = Policy.ForMode(PolicyModes.Strict);
        var requested = Policy.ForMode(PolicyModes.Dev) with { MaxSteps = 60, Guardian = GuardianPolicy.Off };

        var refused = Explicit(requested, ceiling, "max_steps", "guardian", "guardian.enabled");
        var allowed = Explicit(requested with { MaxSteps = 40, Guardian = GuardianPolicy.On }, ceiling, "max_steps", "guardian", "guardian.enabled");

        Assert.Equal(["policy.max_steps", "policy.guardian.enabled"], refused.Errors.Select(e => e.Field));
        Assert.Equal(ceiling with { Mode = PolicyModes.Dev, MaxSteps = 40 }, allowed.Policy);
    }
}
