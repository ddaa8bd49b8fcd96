using MeshFlow.Approvals;
using MeshFlow.Declarative;
using MeshFlow.Governance;
using MeshFlow.Governance.Collusion;
using MeshFlow.Governance.Guardian;
using MeshFlow.Governance.Risk;
using MeshFlow.Tests.Declarative;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class PolicyYamlTests
{
    private static readonly WorkflowLoadOptions WithTools = new()
    {
        Tools = new Dictionary<string, AIFunction>
        {
            ["search"] = AIFunctionFactory.Create(() => "found", "search"),
            ["shell"] = AIFunctionFactory.Create(() => "ran", "shell"),
        },
    };

    private static string Definition(string policy) => $"""
        name: t
        policy:
        {policy}
        nodes:
          - id: a
        """;

    [Fact]
    public void Every_field_is_read_from_yaml()
    {
        var workflow = WorkflowYaml.Load(Definition("""
              mode: dev
              max_steps: 9
              max_tokens: 5000
              max_cost_usd: 0.25
              step_timeout: 1.5
              max_output_chars: 300
              max_wall_time: 2m
              max_tool_calls: 4
              allowed_tools: [search, shell]
              risk: { shell: critical, search: low }
              risk_threshold: medium
              uncertainty_threshold: 0.6
              max_daily_cost_usd: 40
              scrub_phi: true
              guardian: true
              collusion_audit: true
              hitl:
                enabled: true
                risk_threshold: high
                webhook_url: https://hooks.example/approvals
                timeout_seconds: 600
                on_timeout: approve
            """), WithTools);

        Assert.Equal(new Policy
        {
            Mode = PolicyModes.Dev, MaxSteps = 9, MaxTokens = 5000, MaxCostUsd = 0.25m, StepTimeout = TimeSpan.FromSeconds(1.5),
            MaxOutputChars = 300, MaxWallTime = TimeSpan.FromMinutes(2), MaxToolCalls = 4, AllowedTools = ["search", "shell"],
            Risk = new Dictionary<string, RiskTier> { ["shell"] = RiskTier.Critical, ["search"] = RiskTier.Low },
            RiskThreshold = RiskTier.Medium, UncertaintyThreshold = 0.6, MaxDailyCostUsd = 40m, ScrubPhi = true,
            Guardian = GuardianPolicy.On, CollusionAudit = CollusionPolicy.On,
            Hitl = HitlPolicy.Default with
            {
                RiskThreshold = RiskTier.High, WebhookUrl = "https://hooks.example/approvals", TimeoutSeconds = 600,
                OnTimeout = HitlTimeoutAction.Approve,
            },
        }, workflow.Policy);
    }

    [Fact]
    public void None_lifts_a_limit_of_the_mode()
    {
        var workflow = WorkflowYaml.Load(Definition("""
              mode: strict
              max_steps: none
              step_timeout: none
              max_wall_time: none
              risk_threshold: none
            """));

        Assert.Equal(Policy.ForMode(PolicyModes.Strict) with
        {
            MaxSteps = 0, StepTimeout = Timeout.InfiniteTimeSpan, MaxWallTime = Timeout.InfiniteTimeSpan, RiskThreshold = null,
        }, workflow.Policy);
    }

    [Theory]
    [InlineData("  max_steps: -1", 3, 14, "'max_steps' of the policy", "at least 0", "the number -1")]
    [InlineData("  max_tokens: lots", 3, 15, "'max_tokens'", "a whole number", "'lots'")]
    [InlineData("  max_cost_usd: -2", 3, 17, "'max_cost_usd'", "at least 0", "the number -2")]
    [InlineData("  max_wall_time: 0s", 3, 18, "'max_wall_time'", "greater than zero", "'0s'")]
    [InlineData("  max_tool_calls: 2.5", 3, 19, "'max_tool_calls'", "a whole number", "the number 2.5")]
    [InlineData("  allowed_tools: search", 3, 18, "'allowed_tools'", "a list of tool names", "'search'")]
    [InlineData("  allowed_tools: [search, [x]]", 3, 27, "entry 2 of 'allowed_tools'", "a tool name", "a list")]
    [InlineData("  risk: [shell]", 3, 9, "'risk'", "a mapping of tool names to risk tiers", "a list")]
    [InlineData("  risk: { shell: severe }", 3, 18, "'risk' of the policy gives 'shell'", "not a risk tier", "low, medium, high, critical")]
    [InlineData("  risk_threshold: hihg", 3, 19, "'risk_threshold'", "low, medium, high, critical) or none", "did you mean 'high'?")]
    [InlineData("  uncertainty_threshold: 1.5", 3, 26, "'uncertainty_threshold'", "a number from 0 to 1", "the number 1.5")]
    [InlineData("  max_daily_cost_usd: free", 3, 23, "'max_daily_cost_usd'", "a number of at least 0", "'free'")]
    [InlineData("  scrub_phi: yes", 3, 14, "'scrub_phi'", "true or false", "'yes'")]
    [InlineData("  guardian: \"true\"", 3, 13, "'guardian'", "true or false", "remove the quotes")]
    [InlineData("  collusion_audit: 1", 3, 20, "'collusion_audit'", "true or false", "the number 1")]
    [InlineData("  max_output_chars: -5", 3, 21, "'max_output_chars'", "at least 0", "-5")]
    public void A_wrong_value_is_reported_at_its_line_and_column_naming_the_field(
        string line, int row, int column, string field, string expected, string found)
    {
        var error = DefinitionAssert.SingleError(Definition(line));

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, row, column, field, expected, found);
    }

    [Fact]
    public void The_path_of_a_wrong_value_names_the_field()
    {
        var errors = DefinitionAssert.Errors(Definition("""
              max_steps: -1
              risk: { shell: severe }
              allowed_tools: [search, [x]]
            """));

        Assert.Equal(["policy.max_steps", "policy.risk.shell", "policy.allowed_tools[1]"], errors.Select(e => e.Path));
    }

    [Fact]
    public void An_unknown_tool_is_reported_only_when_tools_are_registered_with_a_hint()
    {
        var definition = Definition("""
              allowed_tools: [search, shel]
              risk: { serch: high }
            """);

        Assert.True(WorkflowYaml.Validate(definition).IsValid);
        var errors = DefinitionAssert.Errors(definition, WithTools);
        Assert.Collection(errors,
            tool => DefinitionAssert.Error(tool, WorkflowErrorCodes.UnknownTool, 3, 27,
                "unknown tool 'shel' in 'allowed_tools'", "did you mean 'shell'?", "registered tools: search, shell"),
            risk => DefinitionAssert.Error(risk, WorkflowErrorCodes.UnknownTool, 4, 11,
                "unknown tool 'serch' in 'risk'", "did you mean 'search'?"));
        Assert.Equal(["policy.allowed_tools[1]", "policy.risk.serch"], errors.Select(e => e.Path));
    }

    [Fact]
    public void An_unknown_field_lists_every_known_one()
    {
        var error = DefinitionAssert.SingleError(Definition("  guardain: true"));

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownField, 3, 3, "unknown field 'guardain'",
            "did you mean 'guardian'?", string.Join(", ", PolicyFields.Names));
    }

    [Fact]
    public void A_mode_that_is_not_a_name_is_reported_at_it()
    {
        var error = DefinitionAssert.SingleError(Definition("  mode: [strict]"));

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 3, 9, "'mode' of the policy", "a mode name", "a list");
    }

    [Fact]
    public void A_misspelt_mode_gets_a_hint()
    {
        var error = DefinitionAssert.SingleError("name: t\npolicy: strikt\nnodes:\n  - id: a\n");

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownPolicyMode, 2, 9, "unknown policy mode 'strikt'", "did you mean 'strict'?");
    }
}
