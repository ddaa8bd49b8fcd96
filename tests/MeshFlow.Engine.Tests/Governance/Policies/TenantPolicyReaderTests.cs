using System.Text.Json;
using MeshFlow.Governance;
using MeshFlow.Governance.Guardian;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class TenantPolicyReaderTests
{
    private static (TenantPolicy? Policy, (string Field, string Problem)? Error) Read(string json, IReadOnlyCollection<string>? knownTools = null)
    {
        using var document = JsonDocument.Parse(json);
        return TenantPolicyReader.Read(document.RootElement, knownTools);
    }

    [Fact]
    public void Modes_and_fields_are_read_for_the_default_and_the_ceiling()
    {
        var (policy, error) = Read("""{"default": "strict", "ceiling": {"mode": "standard", "max_daily_cost_usd": 50}}""");

        Assert.Null(error);
        Assert.Equal(new TenantPolicy
        {
            Default = Policy.ForMode(PolicyModes.Strict) with { MaxDailyCostUsd = 50m },
            Ceiling = Policy.ForMode(PolicyModes.Standard) with { MaxDailyCostUsd = 50m },
        }, policy);
    }

    [Fact]
    public void A_ceiling_of_fields_without_a_mode_limits_only_those_fields()
    {
        var (policy, _) = Read("""{"ceiling": {"max_steps": 50, "guardian": true}}""");

        Assert.Null(policy!.Default);
        // A new policy's hitl (approvals on, 24 hours) would be limits in a ceiling: one that names no hitl has none.
        Assert.Equal(new Policy { MaxSteps = 50, Guardian = GuardianPolicy.On, Hitl = PolicyHitlCeiling.NoLimit }, policy.Ceiling);
        Assert.Equal((false, 2_592_000, null), (policy.Ceiling!.Hitl.Enabled, policy.Ceiling.Hitl.TimeoutSeconds, policy.Ceiling.Hitl.RiskThreshold));
    }

    [Fact]
    public void A_default_field_looser_than_the_ceiling_is_refused_naming_the_field_and_the_ceiling()
    {
        var (policy, error) = Read("""{"default": {"max_steps": 500}, "ceiling": {"max_steps": 50}}""");

        Assert.Null(policy);
        Assert.Equal(("default.max_steps", "max_steps 500 is above the tenant's ceiling of 50"), error);
    }

    [Fact]
    public void What_a_default_mode_brings_looser_than_the_ceiling_is_tightened()
    {
        var (policy, error) = Read("""{"default": "dev", "ceiling": "strict"}""");

        Assert.Null(error);
        Assert.Equal(Policy.ForMode(PolicyModes.Strict) with { Mode = PolicyModes.Dev }, policy!.Default);
    }

    [Fact]
    public void What_a_default_of_fields_leaves_to_standard_is_tightened_to_the_ceiling()
    {
        var (policy, error) = Read("""{"default": {"max_steps": 20}, "ceiling": "strict"}""");

        Assert.Null(error);
        Assert.Equal(Policy.ForMode(PolicyModes.Strict) with { Mode = PolicyModes.Standard, MaxSteps = 20 }, policy!.Default);
    }

    [Theory]
    [InlineData("[]", "body", "a JSON object")]
    [InlineData("""{"defaults": "strict"}""", "defaults", "expected default, ceiling")]
    [InlineData("""{"default": {"max_steps": -1}}""", "default.max_steps", "'max_steps' of the tenant's default must be")]
    [InlineData("""{"ceiling": {"risk_threshold": "hi"}}""", "ceiling.risk_threshold", "a risk tier")]
    [InlineData("""{"ceiling": "turbo"}""", "ceiling", "unknown policy mode 'turbo'")]
    [InlineData("""{"default": 3}""", "default", "'default' must be a mode name")]
    public void A_wrong_body_is_reported_naming_its_field(string json, string field, string problem)
    {
        var (policy, error) = Read(json);

        Assert.Null(policy);
        Assert.Equal(field, error!.Value.Field);
        Assert.Contains(problem, error.Value.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_tool_in_the_ceiling_is_reported_when_tools_are_known()
    {
        var (_, error) = Read("""{"ceiling": {"allowed_tools": ["serch"]}}""", ["search"]);

        Assert.Equal("ceiling.allowed_tools[0]", error!.Value.Field);
        Assert.Contains("did you mean 'search'?", error.Value.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tenant_policy_reads_back_from_json_equal()
    {
        var (policy, _) = Read("""
            {"default": {"mode": "hipaa", "hitl": {"webhook_url": "https://hooks.example/a", "timeout_seconds": 600}},
             "ceiling": {"allowed_tools": ["search"], "risk": {"shell": "critical"}, "hitl": {"enabled": true, "risk_threshold": "high"}}}
            """);

        Assert.Equal(policy, JsonSerializer.Deserialize<TenantPolicy>(JsonSerializer.Serialize(policy)));
    }
}
