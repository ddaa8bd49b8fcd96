using MeshFlow.Agents;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Declarative;

public sealed class WorkflowYamlRiskTests
{
    private const string Trading = """
        name: trading
        nodes:
          - id: analyst
            model: offline
          - id: desk
            kind: router
            risk: medium
          - id: trader
            kind: agent
            risk: high
            model: scripted
            responses: [BUY]
          - id: booking
            kind: tool
            tool: book_trade
            risk: critical
        edges:
          - from: analyst
            to: desk
          - from: desk
            to: trader
          - from: trader
            to: booking
        """;

    private const string TradingAsJson = """
        {
          "name": "trading",
          "nodes": [
            { "id": "analyst", "model": "offline" },
            { "id": "desk", "kind": "router", "risk": "medium" },
            { "id": "trader", "kind": "agent", "risk": "high", "model": "scripted", "responses": ["BUY"] },
            { "id": "booking", "kind": "tool", "tool": "book_trade", "risk": "critical" }
          ],
          "edges": [
            { "from": "analyst", "to": "desk" },
            { "from": "desk", "to": "trader" },
            { "from": "trader", "to": "booking" }
          ]
        }
        """;

    // The digest of WorkflowYamlLoadTests.ArchitectureExample before nodes could declare a risk: a workflow whose
    // nodes are all low must keep it, or every recorded run would stop matching its definition.
    private const string ArchitectureExampleDigest = "a1066c74e1b4ae1dcbeab60e06ebbbe38af48533d49314a2efca7c40aace743f";

    private static readonly string[] Tiers = ["low", "medium", "high", "critical"];

    [Fact]
    public void Risk_is_read_on_agent_tool_and_router_nodes()
    {
        var workflow = WorkflowYaml.Load(Trading);

        Assert.Equal(
            [("analyst", RiskTier.Low), ("desk", RiskTier.Medium), ("trader", RiskTier.High), ("booking", RiskTier.Critical)],
            workflow.Nodes.Select(n => (n.Id, n.Risk)));
        Assert.IsType<RouterNode>(workflow.Nodes[1]);
        Assert.IsType<AgentNode>(workflow.Nodes[2]);
        Assert.IsType<ToolNode>(workflow.Nodes[3]);
    }

    [Fact]
    public void The_json_form_declares_risk_the_same_way()
    {
        var fromJson = WorkflowYaml.Load(TradingAsJson);
        var fromYaml = WorkflowYaml.Load(Trading);

        Assert.Equal(fromYaml.Nodes.Select(n => (n.Id, n.Risk)), fromJson.Nodes.Select(n => (n.Id, n.Risk)));
        Assert.Equal(fromYaml.Digest, fromJson.Digest);
    }

    [Fact]
    public void A_node_that_declares_no_risk_is_low()
    {
        var workflow = WorkflowYaml.Load(WorkflowYamlLoadTests.ArchitectureExample);

        Assert.All(workflow.Nodes, node => Assert.Equal(RiskTier.Low, node.Risk));
    }

    [Fact]
    public void A_misspelt_tier_is_reported_at_its_value_with_the_closest_tier()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: analyst
              - id: trader
                risk: hihg
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 5, 11);
        Assert.Equal("nodes[1].risk", error.Path);
        Assert.Equal(
            "unknown risk tier 'hihg' of node 'trader' (did you mean 'high'? expected one of low, medium, high, critical)",
            error.Message);
    }

    [Theory]
    [InlineData("High", "did you mean 'high'? ")]
    [InlineData("critcal", "did you mean 'critical'? ")]
    [InlineData("severe", "(expected")]
    [InlineData("3", "(expected")]
    public void A_value_that_is_not_a_tier_lists_the_four_tiers(string value, string hint)
    {
        var error = DefinitionAssert.SingleError($"""
            name: t
            nodes:
              - id: lookup
                kind: tool
                tool: search
                risk: {value}
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 6, 11,
            $"unknown risk tier '{value}' of node 'lookup'", hint, "expected one of low, medium, high, critical)");
        Assert.Equal("nodes[0].risk", error.Path);
    }

    [Fact]
    public void A_list_is_not_a_tier()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: trader
                risk: [high]
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 4, 11);
        Assert.Equal("nodes[0].risk", error.Path);
        Assert.Equal("'risk' of node 'trader' must be one of low, medium, high, critical, but is a list", error.Message);
    }

    [Theory]
    [InlineData("    risk:", 4, 5)]
    [InlineData("    risk: \"\"", 4, 11)]
    public void An_empty_risk_is_reported_rather_than_read_as_low(string line, int row, int column)
    {
        var error = DefinitionAssert.SingleError($"""
            name: t
            nodes:
              - id: trader
            {line}
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, row, column,
            "node 'trader' has an empty 'risk'", "expected one of low, medium, high, critical");
        Assert.Equal("nodes[0].risk", error.Path);
    }

    [Fact]
    public void A_wrong_tier_in_json_has_its_line_and_column()
    {
        var error = DefinitionAssert.SingleError("""
            {"name": "j",
             "nodes": [{"id": "a"}, {"id": "b", "risk": "hihg"}]}
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 2, 45, "unknown risk tier 'hihg'", "did you mean 'high'?");
        Assert.Equal("nodes[1].risk", error.Path);
    }

    [Fact]
    public void Workflows_differing_only_in_a_nodes_risk_have_different_digests()
    {
        var digests = Tiers.Select(tier => WithRisk($"risk: {tier}").Digest).ToList();

        Assert.Equal(4, digests.Distinct().Count());
        Assert.Equal(WithRisk("risk: high").Digest, WithRisk("risk: high").Digest);
    }

    [Fact]
    public void A_low_risk_workflow_keeps_the_digest_it_had_before_risk_was_declarable()
    {
        var declaredLow = WorkflowYamlLoadTests.ArchitectureExample
            .Replace("model: offline", "model: offline\n    risk: low", StringComparison.Ordinal)
            .Replace("model: scripted", "model: scripted\n    risk: low", StringComparison.Ordinal);

        Assert.Equal(ArchitectureExampleDigest, WorkflowYaml.Load(WorkflowYamlLoadTests.ArchitectureExample).Digest);
        Assert.Equal(ArchitectureExampleDigest, WorkflowYaml.Load(declaredLow).Digest);
        Assert.Equal(WithRisk(string.Empty).Digest, WithRisk("risk: low").Digest);
    }

    [Fact]
    public void A_risk_set_in_code_counts_like_one_declared_in_yaml()
    {
        var built = new WorkflowBuilder("trading")
            .AddNode(new AgentNode("trader") { Risk = RiskTier.High, Model = ModelNames.Scripted, Responses = ["BUY"] })
            .Build();

        Assert.Equal(WithRisk("risk: high").Digest, built.Digest);
    }

    [Fact]
    public async Task A_high_risk_agent_pauses_under_strict_before_its_model_is_called()
    {
        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), Trader("strict"), "Rebalance",
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Paused, capture.Result.Status);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal(("escalate", "dasc"), (WireNames.Of(step.Verdict), WireNames.Of(step.BlockReason!.Value)));
        Assert.Equal((RiskTier.High, RiskRuleIds.ModelCall, "model"), (step.Risk!.Tier, step.Risk.Rule, step.Risk.Action));
        Assert.Contains("at or above the policy's risk threshold (high)", step.BlockDetail, StringComparison.Ordinal);
        Assert.Empty(step.Output);
        Assert.Empty(capture.Of<TokenDeltaEvent>());
        var pause = Assert.Single(capture.Of<HitlPauseEvent>());
        Assert.Equal((BlockReason.Dasc, RiskTier.High), (pause.BlockReason, pause.Tier));
    }

    [Fact]
    public async Task The_same_agent_runs_under_standard()
    {
        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), Trader("standard"), "Rebalance",
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal(Verdict.Commit, step.Verdict);
        Assert.Equal(RiskTier.High, step.Risk!.Tier);
        Assert.Equal("BUY 100 ACME", capture.Result.Output);
        Assert.Empty(capture.Of<HitlPauseEvent>());
    }

    private static Workflow WithRisk(string risk) => WorkflowYaml.Load($"""
        name: trading
        nodes:
          - id: trader
            model: scripted
            responses: [BUY]
            {risk}
        """);

    private static Workflow Trader(string policy) => WorkflowYaml.Load($"""
        name: trading
        policy: {policy}
        nodes:
          - id: trader
            kind: agent
            risk: high
            model: scripted
            responses: [BUY 100 ACME]
        """);
}
