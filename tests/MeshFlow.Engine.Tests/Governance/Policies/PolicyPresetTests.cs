using MeshFlow.Approvals;
using MeshFlow.Declarative;
using MeshFlow.Governance;
using MeshFlow.Governance.Collusion;
using MeshFlow.Governance.Guardian;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class PolicyPresetTests
{
    [Fact]
    public void The_existing_limits_of_every_mode_are_unchanged()
    {
        Assert.Equal((1_000, 0L, 0m, TimeSpan.FromMinutes(10)), Limits(Policy.ForMode(PolicyModes.Dev)));
        Assert.Equal((200, 1_000_000L, 10m, TimeSpan.FromMinutes(2)), Limits(Policy.ForMode(PolicyModes.Standard)));
        Assert.Equal((50, 200_000L, 2m, TimeSpan.FromMinutes(1)), Limits(Policy.ForMode(PolicyModes.Strict)));
        Assert.Equal((50, 200_000L, 2m, TimeSpan.FromMinutes(1)), Limits(Policy.ForMode(PolicyModes.Hipaa)));
    }

    [Fact]
    public void The_new_fields_of_every_mode_are_as_documented()
    {
        var dev = Policy.ForMode(PolicyModes.Dev);
        var standard = Policy.ForMode(PolicyModes.Standard);
        var strict = Policy.ForMode(PolicyModes.Strict);
        var hipaa = Policy.ForMode(PolicyModes.Hipaa);

        Assert.Equal([Timeout.InfiniteTimeSpan, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)],
            [dev.MaxWallTime, standard.MaxWallTime, strict.MaxWallTime, hipaa.MaxWallTime]);
        Assert.Equal([0, 100, 25, 25], [dev.MaxToolCalls, standard.MaxToolCalls, strict.MaxToolCalls, hipaa.MaxToolCalls]);
        Assert.Equal([null, null, RiskTier.High, RiskTier.Medium],
            [dev.RiskThreshold, standard.RiskThreshold, strict.RiskThreshold, hipaa.RiskThreshold]);
        Assert.Equal([1, 1, 0.8, 0.7],
            [dev.UncertaintyThreshold, standard.UncertaintyThreshold, strict.UncertaintyThreshold, hipaa.UncertaintyThreshold]);
        Assert.All([dev, standard, strict, hipaa], p => Assert.Equal(0m, p.MaxDailyCostUsd));
        Assert.All([dev, standard, strict, hipaa], p => Assert.Empty(p.AllowedTools));
        Assert.All([dev, standard, strict, hipaa], p => Assert.Empty(p.Risk));
        Assert.Equal([false, false, false, true], [dev.ScrubPhi, standard.ScrubPhi, strict.ScrubPhi, hipaa.ScrubPhi]);
        Assert.Equal([GuardianPolicy.Off, GuardianPolicy.Off, GuardianPolicy.On, GuardianPolicy.On with { UntrustedInput = true }],
            [dev.Guardian, standard.Guardian, strict.Guardian, hipaa.Guardian]);
        Assert.Equal([CollusionPolicy.Off, CollusionPolicy.Off, CollusionPolicy.Off, CollusionPolicy.On with { OnFinding = CollusionAction.Escalate }],
            [dev.CollusionAudit, standard.CollusionAudit, strict.CollusionAudit, hipaa.CollusionAudit]);
        Assert.All([dev, standard, strict, hipaa], p => Assert.Equal(0, p.MaxOutputChars));
        Assert.All([dev, standard, strict, hipaa], p => Assert.Equal(HitlPolicy.Default, p.Hitl));
    }

    [Fact]
    public void Every_mode_waits_24_hours_for_a_human_then_rejects_and_strict_and_hipaa_already_escalate_at_high()
    {
        var modes = PolicyModes.All.Select(Policy.ForMode).ToList();

        Assert.All(modes, p => Assert.Equal((true, 86_400, HitlTimeoutAction.Reject), (p.Hitl.Enabled, p.Hitl.TimeoutSeconds, p.Hitl.OnTimeout)));
        // No mode needs hitl.risk_threshold: strict and hipaa escalate at high (hipaa from medium) through risk_threshold.
        Assert.Equal([null, null, RiskTier.High, RiskTier.Medium], modes.Select(p => p.ApprovalThreshold));
        Assert.All(modes, p => Assert.Equal(p.RiskThreshold, p.ApprovalThreshold));
    }

    [Fact]
    public void Hipaa_has_strict_limits_but_switches_on_more_and_escalates_sooner()
    {
        var strict = Policy.ForMode(PolicyModes.Strict);
        var hipaa = Policy.ForMode(PolicyModes.Hipaa);

        Assert.NotEqual(strict, hipaa);
        Assert.Equal(strict with { Mode = PolicyModes.Hipaa }, hipaa with
        {
            RiskThreshold = RiskTier.High, UncertaintyThreshold = 0.8, ScrubPhi = false, CollusionAudit = CollusionPolicy.Off,
            Guardian = GuardianPolicy.On,
        });
        Assert.True(hipaa.ScrubPhi && hipaa.CollusionAudit.Enabled && !strict.ScrubPhi && !strict.CollusionAudit.Enabled);
        Assert.True(hipaa.Guardian.UntrustedInput && !strict.Guardian.UntrustedInput);
        Assert.True(hipaa.RiskThreshold < strict.RiskThreshold && hipaa.UncertaintyThreshold < strict.UncertaintyThreshold);
    }

    [Fact]
    public void The_table_lists_every_field_of_every_mode_as_a_policy_writes_it()
    {
        Assert.Equal(PolicyModes.All, PolicyPresets.Values.Keys);
        Assert.All(PolicyPresets.Values.Values, fields => Assert.Equal(PolicyFields.All.Select(f => f.Name), fields.Keys));
        Assert.Equal("10m", PolicyPresets.Values[PolicyModes.Strict]["max_wall_time"]);
        Assert.Equal("none", PolicyPresets.Values[PolicyModes.Dev]["max_tokens"]);
        Assert.Equal("medium", PolicyPresets.Values[PolicyModes.Hipaa]["risk_threshold"]);
        Assert.Equal("0.7", PolicyPresets.Values[PolicyModes.Hipaa]["uncertainty_threshold"]);
        Assert.Equal("true", PolicyPresets.Values[PolicyModes.Hipaa]["scrub_phi"]);
        Assert.Equal("[]", PolicyPresets.Values[PolicyModes.Standard]["allowed_tools"]);
        Assert.Equal("{enabled: true, risk_threshold: none, webhook_url: none, timeout_seconds: 86400, on_timeout: reject, escalate_to: none}",
            PolicyPresets.Values[PolicyModes.Strict]["hitl"]);
        Assert.Equal("{enabled: false, on_injection: escalate, on_leak: strip, allowed_hosts: [], untrusted_input: false, behaviour: true}",
            PolicyPresets.Values[PolicyModes.Standard]["guardian"]);
        Assert.Equal("{enabled: true, on_injection: escalate, on_leak: strip, allowed_hosts: [], untrusted_input: false, behaviour: true}",
            PolicyPresets.Values[PolicyModes.Strict]["guardian"]);
        Assert.Equal("{enabled: true, on_injection: escalate, on_leak: strip, allowed_hosts: [], untrusted_input: true, behaviour: true}",
            PolicyPresets.Values[PolicyModes.Hipaa]["guardian"]);
        Assert.Equal("{enabled: false, on_finding: record}", PolicyPresets.Values[PolicyModes.Strict]["collusion_audit"]);
        Assert.Equal("{enabled: true, on_finding: escalate}", PolicyPresets.Values[PolicyModes.Hipaa]["collusion_audit"]);
    }

    [Theory]
    [InlineData(PolicyModes.Dev)]
    [InlineData(PolicyModes.Standard)]
    [InlineData(PolicyModes.Strict)]
    [InlineData(PolicyModes.Hipaa)]
    public void A_mode_written_out_field_by_field_from_the_table_reads_back_as_the_mode(string mode)
    {
        // Written over another mode, so that every value has to come from the table.
        var other = mode == PolicyModes.Dev ? PolicyModes.Hipaa : PolicyModes.Dev;
        var fields = string.Join(", ", PolicyPresets.Values[mode].Select(f => $"{f.Key}: {f.Value}"));

        var workflow = WorkflowYaml.Load($"name: t\npolicy: {{ mode: {other}, {fields} }}\nnodes:\n  - id: a\n");

        Assert.Equal(Policy.ForMode(mode) with { Mode = other }, workflow.Policy);
    }

    [Fact]
    public void The_markdown_table_has_a_row_per_field_and_a_column_per_mode()
    {
        var lines = PolicyPresets.ToMarkdown().TrimEnd('\n').Split('\n');

        Assert.Equal("| field | dev | standard | strict | hipaa | meaning |", lines[0]);
        Assert.Equal(2 + PolicyFields.All.Count, lines.Length);
        Assert.StartsWith("| `max_steps` | 1000 | 200 | 50 | 50 | ", lines[2], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith("| `guardian` | {enabled: false, on_injection: escalate, ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("| `collusion_audit` | {enabled: false, on_finding: record} | {enabled: false, " +
            "on_finding: record} | {enabled: false, on_finding: record} | {enabled: true, on_finding: escalate} | ", StringComparison.Ordinal));
    }

    private static (int, long, decimal, TimeSpan) Limits(Policy policy) =>
        (policy.MaxSteps, policy.MaxTokens, policy.MaxCostUsd, policy.StepTimeout);
}
