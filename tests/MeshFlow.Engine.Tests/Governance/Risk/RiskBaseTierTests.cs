using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Risk;

public sealed class RiskBaseTierTests
{
    [Fact]
    public void A_declared_tier_stands_when_no_rule_fires()
    {
        var assessment = RiskCall.Assess("list_files", RiskTier.Low, """{ "path": "/runs/r1/scratch" }""");

        Assert.Equal(new RiskAssessment(RiskTier.Low, RiskRuleIds.Declared, "the tool declares this tier"), assessment);
    }

    [Fact]
    public void A_tool_that_declares_nothing_is_high()
    {
        var assessment = RiskCall.Assess("mystery", declared: null, "{}");

        Assert.Equal(RiskTier.High, assessment.Tier);
        Assert.Equal(RiskRuleIds.UndeclaredTool, assessment.Rule);
    }

    [Fact]
    public void A_policy_override_beats_the_declaration_in_both_directions()
    {
        var overrides = new Dictionary<string, RiskTier> { ["search"] = RiskTier.Low, ["notes"] = RiskTier.High };

        var lowered = RiskCall.Assess("search", RiskTier.Medium, "{}", overrides: overrides);
        var raised = RiskCall.Assess("notes", RiskTier.Low, "{}", overrides: overrides);
        var undeclared = RiskCall.Assess("search", declared: null, "{}", overrides: overrides);

        Assert.Equal((RiskTier.Low, RiskRuleIds.PolicyOverride), (lowered.Tier, lowered.Rule));
        Assert.Equal((RiskTier.High, RiskRuleIds.PolicyOverride), (raised.Tier, raised.Rule));
        Assert.Equal((RiskTier.Low, RiskRuleIds.PolicyOverride), (undeclared.Tier, undeclared.Rule));
    }

    [Fact]
    public void An_override_does_not_lower_what_an_argument_rule_found()
    {
        var overrides = new Dictionary<string, RiskTier> { ["shell"] = RiskTier.Low };

        var assessment = RiskCall.Assess("shell", RiskTier.Low, """{ "command": "rm -rf /" }""", overrides: overrides);

        Assert.Equal((RiskTier.Critical, RiskRuleIds.ShellDestructive), (assessment.Tier, assessment.Rule));
    }

    [Fact]
    public void Rules_never_lower_a_tier()
    {
        // A money rule is high; a tool the policy already holds critical stays critical under its own rule.
        var critical = RiskCall.Assess("pay", RiskTier.Critical, """{ "amount": 5 }""");
        var high = RiskCall.Assess("pay", RiskTier.High, """{ "amount": 5 }""");

        Assert.Equal((RiskTier.Critical, RiskRuleIds.Declared), (critical.Tier, critical.Rule));
        Assert.Equal((RiskTier.High, RiskRuleIds.Declared), (high.Tier, high.Rule));
    }

    [Fact]
    public void The_highest_rule_wins_and_names_itself()
    {
        // Money (high) and a destructive command (critical) in one call: the critical rule names the assessment.
        var assessment = RiskCall.Assess("run", RiskTier.Low, """{ "amount": 10, "command": "DROP TABLE invoices" }""");

        Assert.Equal((RiskTier.Critical, RiskRuleIds.ShellDestructive), (assessment.Tier, assessment.Rule));
        Assert.Equal("argument 'command' holds a command that deletes or destroys", assessment.Detail);
    }

    [Fact]
    public void A_model_call_is_assessed_at_its_declared_tier()
    {
        var assessment = RiskRules.AssessModelCall(RiskTier.Medium);

        Assert.Equal((RiskTier.Medium, RiskRuleIds.ModelCall), (assessment.Tier, assessment.Rule));
    }

    [Fact]
    public void Arguments_given_as_plain_clr_values_are_judged_like_json_ones()
    {
        var arguments = new Dictionary<string, object?>
        {
            ["options"] = new Dictionary<string, object?> { ["recursive"] = true, ["command"] = "rm -fr ~" },
            ["count"] = 3,
        };

        var assessment = RiskRules.AssessTool("tool", RiskTier.Low, new Dictionary<string, RiskTier>(), arguments, RiskCall.Scratch);

        Assert.Equal((RiskTier.Critical, RiskRuleIds.ShellDestructive), (assessment.Tier, assessment.Rule));
        Assert.Equal("argument 'options' holds a command that deletes or destroys", assessment.Detail);
    }
}
