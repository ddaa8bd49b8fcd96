using System.Text.Json;
using MeshFlow.Declarative;
using MeshFlow.Governance;
using MeshFlow.Governance.Collusion;
using MeshFlow.Governance.Guardian;
using MeshFlow.Ledger;

namespace MeshFlow.Tests.Governance.Policies;

/// <summary>How <c>guardian</c> and <c>collusion_audit</c> are stored, and how what was stored before they had parts reads.</summary>
public sealed class PolicySafeguardJsonTests
{
    private static readonly GuardianPolicy Full = new()
    {
        Enabled = true, OnInjection = GuardianAction.Block, OnLeak = LeakAction.Block, AllowedHosts = ["api.example.com", "docs.example.org"],
        UntrustedInput = true, Behaviour = false,
    };

    [Fact]
    public void Both_are_written_as_objects_of_every_part_and_read_back_equal()
    {
        var policy = Policy.ForMode(PolicyModes.Hipaa) with { Guardian = Full };

        var json = JsonSerializer.Serialize(policy);

        Assert.Contains("""
            "guardian":{"enabled":true,"on_injection":"block","on_leak":"block","allowed_hosts":["api.example.com","docs.example.org"],"untrusted_input":true,"behaviour":false}
            """, json, StringComparison.Ordinal);
        Assert.Contains("\"collusion_audit\":{\"enabled\":true,\"on_finding\":\"escalate\"}", json, StringComparison.Ordinal);
        Assert.Equal(policy, JsonSerializer.Deserialize<Policy>(json));
        Assert.Equal(policy.GetHashCode(), JsonSerializer.Deserialize<Policy>(json)!.GetHashCode());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_policy_stored_when_they_were_switches_reads_them_switched_with_their_defaults(bool on)
    {
        var older = $$"""
            {"mode":"strict","max_steps":50,"scrub_phi":false,"guardian":{{(on ? "true" : "false")}},"collusion_audit":{{(on ? "true" : "false")}}}
            """;

        var policy = JsonSerializer.Deserialize<Policy>(older)!;

        Assert.Equal(on ? GuardianPolicy.On : GuardianPolicy.Off, policy.Guardian);
        Assert.Equal(on ? CollusionPolicy.On : CollusionPolicy.Off, policy.CollusionAudit);
    }

    [Fact]
    public void A_run_start_record_and_a_tenants_policy_stored_before_read_as_the_same_presets()
    {
        // The fields as the build before wrote strict's preset into a run_start record and a tenant's policy row.
        const string Strict = """
            {"mode":"strict","max_steps":50,"max_tokens":200000,"max_cost_usd":2,"step_timeout":"00:01:00","max_output_chars":0,
             "max_wall_time":"00:10:00","max_tool_calls":25,"allowed_tools":[],"risk":{},"risk_threshold":"high",
             "uncertainty_threshold":0.8,"max_daily_cost_usd":0,"scrub_phi":false,"guardian":true,"collusion_audit":false,
             "hitl":{"enabled":true,"risk_threshold":null,"webhook_url":null,"timeout_seconds":86400,"on_timeout":"reject","escalate_to":null}}
            """;
        var runStart = $$"""{"workflow":"w","workflow_digest":"d","input":"x","policy":{{Strict}}}""";

        Assert.Equal(Policy.ForMode(PolicyModes.Strict), LedgerPayloads.ReadRunStart(runStart).Policy);
        Assert.Equal(Policy.ForMode(PolicyModes.Strict), JsonSerializer.Deserialize<TenantPolicy>($$"""{"ceiling":{{Strict}}}""")!.Ceiling);
    }

    [Fact]
    public void A_run_start_record_carries_the_parts_unchanged()
    {
        var start = new RunStartPayload
        {
            Workflow = "w", WorkflowDigest = "d", Input = "x", Policy = Policy.ForMode(PolicyModes.Hipaa) with { Guardian = Full },
        };

        Assert.Equal(start, LedgerPayloads.ReadRunStart(LedgerPayloads.RunStart(start)));
    }

    [Fact]
    public void A_partial_object_takes_the_defaults_of_the_missing_parts_and_without_enabled_is_on()
    {
        var policy = JsonSerializer.Deserialize<Policy>("""
            {"guardian":{"on_leak":"block","allowed_hosts":null,"behaviour":null,"scanner":"v2"},"collusion_audit":{"enabled":false}}
            """)!;

        Assert.Equal(GuardianPolicy.On with { OnLeak = LeakAction.Block }, policy.Guardian);
        Assert.Equal(CollusionPolicy.Off, policy.CollusionAudit);
    }

    [Fact]
    public void Null_reads_as_off()
    {
        Assert.Equal(new Policy(), JsonSerializer.Deserialize<Policy>("""{"guardian":null,"collusion_audit":null}"""));
    }

    [Theory]
    [InlineData("""{"guardian":"on"}""")]
    [InlineData("""{"guardian":{"enabled":"yes"}}""")]
    [InlineData("""{"guardian":{"on_injection":"stop"}}""")]
    [InlineData("""{"collusion_audit":1}""")]
    public void A_value_of_the_wrong_kind_is_a_json_error(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Policy>(json));
    }

    [Fact]
    public void Host_lists_compare_by_content_in_order_and_are_copied()
    {
        var hosts = new List<string> { "a.example" };
        var guardian = GuardianPolicy.On with { AllowedHosts = hosts };
        hosts.Add("b.example");

        Assert.Equal(["a.example"], guardian.AllowedHosts);
        Assert.Equal(GuardianPolicy.On with { AllowedHosts = ["a.example"] }, guardian);
        Assert.Equal((GuardianPolicy.On with { AllowedHosts = ["a.example"] }).GetHashCode(), guardian.GetHashCode());
        Assert.NotEqual(Full with { AllowedHosts = ["docs.example.org", "api.example.com"] }, Full);
        Assert.NotEqual(Full with { Behaviour = true }, Full);
        Assert.NotEqual(Policy.ForMode(PolicyModes.Hipaa), Policy.ForMode(PolicyModes.Hipaa) with { CollusionAudit = CollusionPolicy.On });
    }

    [Theory]
    [InlineData("standard", "4eca3ba1c92a70cee3edcddeb979879fa2ad7c7a9468059b3bbd43c77a873de9")]
    [InlineData("strict", "8b8794f22ffb1fbfaa99421d1c366b960a94740cb01afccce423cbe31c73c287")]
    [InlineData("{ mode: dev, guardian: true, collusion_audit: true }", "013d12b3fc4e424cd595b0ac970973e632e04cd80dd0aaac2b9faaea510d4664")]
    public void A_workflow_whose_safeguards_are_only_switched_keeps_the_digest_it_had_when_they_were_switches(string policy, string digest)
    {
        // The digests the build before this one gave these workflows.
        Assert.Equal(digest, WorkflowYaml.Load($"name: t\npolicy: {policy}\nnodes:\n  - id: a\n").Digest);
    }

    [Fact]
    public void Each_part_changes_a_workflows_digest()
    {
        static string Digest(string policy) => WorkflowYaml.Load($"name: t\npolicy: {policy}\nnodes:\n  - id: a\n").Digest;
        string[] policies =
        [
            "{ guardian: true }", "{ guardian: { on_injection: block } }", "{ guardian: { on_leak: block } }",
            "{ guardian: { allowed_hosts: [api.example.com] } }", "{ guardian: { untrusted_input: true } }", "{ guardian: { behaviour: false } }",
            "{ guardian: { enabled: false, on_injection: block } }", "{ collusion_audit: true }", "{ collusion_audit: { on_finding: escalate } }",
        ];

        Assert.Equal(policies.Length, policies.Select(Digest).Distinct().Count());
    }
}
