using System.Text.Json;
using MeshFlow.Approvals;
using MeshFlow.Governance;
using MeshFlow.Governance.Guardian;
using MeshFlow.Governance.Risk;
using MeshFlow.Ledger;
using MeshFlow.Runtime;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class PolicyEqualityTests
{
    private static Policy Full() => Policy.ForMode(PolicyModes.Hipaa) with
    {
        MaxWallTime = TimeSpan.FromSeconds(90), MaxToolCalls = 7, AllowedTools = ["search", "fetch"],
        Risk = new Dictionary<string, RiskTier> { ["shell"] = RiskTier.Critical, ["fetch"] = RiskTier.Medium },
        MaxDailyCostUsd = 12.5m, MaxOutputChars = 400,
        Hitl = new HitlPolicy
        {
            Enabled = true, RiskThreshold = RiskTier.High, WebhookUrl = "https://hooks.example/approvals", TimeoutSeconds = 900,
            OnTimeout = HitlTimeoutAction.Escalate, EscalateTo = "https://hooks.example/escalate",
        },
    };

    [Fact]
    public void Two_policies_of_the_same_mode_are_equal_and_hash_alike()
    {
        Assert.Equal(Policy.ForMode("standard"), Policy.ForMode("standard"));
        Assert.True(Policy.ForMode("standard") == Policy.ForMode("standard"));
        Assert.Equal(Policy.ForMode("standard").GetHashCode(), Policy.ForMode("standard").GetHashCode());
        Assert.Equal(Full(), Full());
        Assert.Equal(Full().GetHashCode(), Full().GetHashCode());
    }

    [Fact]
    public void Lists_and_overrides_compare_by_content_and_overrides_in_any_order()
    {
        var reordered = Full() with
        {
            Risk = new Dictionary<string, RiskTier> { ["fetch"] = RiskTier.Medium, ["shell"] = RiskTier.Critical },
        };

        Assert.Equal(Full(), reordered);
        Assert.Equal(Full().GetHashCode(), reordered.GetHashCode());
        Assert.NotEqual(Full(), Full() with { AllowedTools = ["search"] });
        Assert.NotEqual(Full(), Full() with { Risk = new Dictionary<string, RiskTier> { ["shell"] = RiskTier.High } });
        Assert.NotEqual(Full(), Full() with { Guardian = GuardianPolicy.Off });
        Assert.NotEqual(Full(), Full() with { Hitl = Full().Hitl with { TimeoutSeconds = 901 } });
        Assert.NotEqual(Full().GetHashCode(), (Full() with { Hitl = HitlPolicy.Default }).GetHashCode());
    }

    [Fact]
    public void A_policy_keeps_its_own_copy_of_the_lists_it_is_given()
    {
        var tools = new List<string> { "search" };
        var policy = new Policy { AllowedTools = tools };

        tools.Add("shell");

        Assert.Equal(["search"], policy.AllowedTools);
    }

    [Fact]
    public void A_policy_read_back_from_json_equals_the_one_written()
    {
        var json = JsonSerializer.Serialize(Full());

        Assert.Equal(Full(), JsonSerializer.Deserialize<Policy>(json));
        Assert.Contains("\"risk\":{\"shell\":\"critical\",\"fetch\":\"medium\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"risk_threshold\":\"medium\"", json, StringComparison.Ordinal);
        Assert.Contains("""
            "hitl":{"enabled":true,"risk_threshold":"high","webhook_url":"https://hooks.example/approvals","timeout_seconds":900,"on_timeout":"escalate","escalate_to":"https://hooks.example/escalate"}
            """, json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_with_a_partial_or_null_hitl_reads_the_missing_parts_as_the_defaults()
    {
        var partial = JsonSerializer.Deserialize<Policy>("""{"hitl":{"timeout_seconds":60,"on_timeout":"approve"}}""")!;
        var none = JsonSerializer.Deserialize<Policy>("""{"hitl":null}""")!;

        Assert.Equal(HitlPolicy.Default with { TimeoutSeconds = 60, OnTimeout = HitlTimeoutAction.Approve }, partial.Hitl);
        Assert.Equal(new Policy(), none);
    }

    [Fact]
    public void A_run_start_record_and_a_queued_request_carry_the_policy_unchanged()
    {
        var start = new RunStartPayload { Workflow = "w", WorkflowDigest = "d", Input = "x", Policy = Full() };
        var request = new RunRequest { TenantId = "t", RunId = "r", Definition = "d", Input = "x", Policy = Full() };

        Assert.Equal(start, LedgerPayloads.ReadRunStart(LedgerPayloads.RunStart(start)));
        Assert.Equal(Full(), JsonSerializer.Deserialize<RunRequest>(JsonSerializer.Serialize(request))!.Policy);
    }

    [Fact]
    public void An_older_policy_without_the_new_fields_reads_with_their_defaults()
    {
        const string Older = """
            {"mode":"strict","max_steps":50,"max_tokens":200000,"max_cost_usd":2,"step_timeout":"00:01:00","max_output_chars":0}
            """;

        var policy = JsonSerializer.Deserialize<Policy>(Older)!;

        Assert.Equal(new Policy
        {
            Mode = PolicyModes.Strict, MaxSteps = 50, MaxTokens = 200_000, MaxCostUsd = 2m, StepTimeout = TimeSpan.FromMinutes(1),
        }, policy);
        Assert.Equal((Timeout.InfiniteTimeSpan, 0, 1d, (RiskTier?)null, false), (policy.MaxWallTime, policy.MaxToolCalls,
            policy.UncertaintyThreshold, policy.RiskThreshold, policy.Guardian.Enabled));
        Assert.Empty(policy.AllowedTools);
        Assert.Empty(policy.Risk);
        Assert.Equal(HitlPolicy.Default, policy.Hitl);
    }

    [Fact]
    public void Null_lists_in_json_read_as_empty()
    {
        var policy = JsonSerializer.Deserialize<Policy>("""{"allowed_tools":null,"risk":null}""")!;

        Assert.Equal(new Policy(), policy);
    }
}
