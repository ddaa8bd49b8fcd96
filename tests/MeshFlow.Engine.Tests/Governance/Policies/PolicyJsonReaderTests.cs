using System.Text.Json;
using MeshFlow.Approvals;
using MeshFlow.Governance;
using MeshFlow.Governance.Guardian;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class PolicyJsonReaderTests
{
    private static readonly Policy Standard = Policy.ForMode(PolicyModes.Standard);

    private static PolicyReadResult Read(string json, IReadOnlyCollection<string>? knownTools = null)
    {
        using var document = JsonDocument.Parse(json);
        return PolicyJsonReader.Read(document.RootElement, Standard, knownTools);
    }

    [Fact]
    public void Every_field_is_read_from_json_and_reported_as_set()
    {
        var read = Read("""
            {"mode": "dev", "max_steps": 9, "max_tokens": 5000, "max_cost_usd": 0.25, "step_timeout": "500ms",
             "max_output_chars": 300, "max_wall_time": 120, "max_tool_calls": 4, "allowed_tools": ["search", "shell"],
             "risk": {"shell": "critical"}, "risk_threshold": "high", "uncertainty_threshold": 0.5,
             "max_daily_cost_usd": 40, "scrub_phi": true, "retry_interrupted_streams": true, "guardian": true, "collusion_audit": false,
             "hitl": {"enabled": false, "risk_threshold": "medium", "webhook_url": "https://hooks.example/approvals",
                      "timeout_seconds": 3600, "on_timeout": "escalate", "escalate_to": "https://hooks.example/escalate"}}
            """);

        Assert.Empty(read.Problems);
        Assert.Equal(new Policy
        {
            Mode = PolicyModes.Dev, MaxSteps = 9, MaxTokens = 5000, MaxCostUsd = 0.25m, StepTimeout = TimeSpan.FromMilliseconds(500),
            MaxOutputChars = 300, MaxWallTime = TimeSpan.FromMinutes(2), MaxToolCalls = 4, AllowedTools = ["search", "shell"],
            Risk = new Dictionary<string, RiskTier> { ["shell"] = RiskTier.Critical }, RiskThreshold = RiskTier.High,
            UncertaintyThreshold = 0.5, MaxDailyCostUsd = 40m, ScrubPhi = true, RetryInterruptedStreams = true, Guardian = GuardianPolicy.On,
            Hitl = new HitlPolicy
            {
                Enabled = false, RiskThreshold = RiskTier.Medium, WebhookUrl = "https://hooks.example/approvals", TimeoutSeconds = 3600,
                OnTimeout = HitlTimeoutAction.Escalate, EscalateTo = "https://hooks.example/escalate",
            },
        }, read.Policy);
        string[] parts =
        [
            "guardian.enabled", "collusion_audit.enabled",
            "hitl.enabled", "hitl.risk_threshold", "hitl.webhook_url", "hitl.timeout_seconds", "hitl.on_timeout", "hitl.escalate_to",
        ];
        Assert.Equal(PolicyFields.All.Select(f => f.Name).Concat(parts).Order(), read.ExplicitFields.Order());
    }

    [Fact]
    public void A_mode_sets_no_field_explicitly_and_a_null_field_is_not_set()
    {
        Assert.Empty(Read("\"strict\"").ExplicitFields);
        var read = Read("""{"mode": "strict", "max_steps": null, "guardian": false}""");

        Assert.Equal(["guardian", "guardian.enabled"], read.ExplicitFields.Order());
        Assert.Equal(Policy.ForMode(PolicyModes.Strict) with { Guardian = GuardianPolicy.Off }, read.Policy);
    }

    [Fact]
    public void An_object_without_a_mode_overrides_the_base_policy()
    {
        var read = Read("""{"max_steps": 7}""");

        Assert.Equal(Standard with { MaxSteps = 7 }, read.Policy);
    }

    [Theory]
    [InlineData("""{"max_steps": -1}""", "policy.max_steps", "at least 0")]
    [InlineData("""{"max_steps": "3"}""", "policy.max_steps", "the string '3'")]
    [InlineData("""{"max_tokens": 1.5}""", "policy.max_tokens", "a whole number")]
    [InlineData("""{"max_cost_usd": -1}""", "policy.max_cost_usd", "at least 0")]
    [InlineData("""{"step_timeout": "soon"}""", "policy.step_timeout", "duration")]
    [InlineData("""{"step_timeout": 0}""", "policy.step_timeout", "greater than zero")]
    [InlineData("""{"max_wall_time": -3}""", "policy.max_wall_time", "the number -3")]
    [InlineData("""{"max_tool_calls": true}""", "policy.max_tool_calls", "but is true")]
    [InlineData("""{"allowed_tools": "search"}""", "policy.allowed_tools", "a list of tool names")]
    [InlineData("""{"allowed_tools": ["search", 3]}""", "policy.allowed_tools[1]", "entry 2")]
    [InlineData("""{"risk": ["shell"]}""", "policy.risk", "a mapping of tool names to risk tiers")]
    [InlineData("""{"risk": {"shell": "extreme"}}""", "policy.risk.shell", "not a risk tier")]
    [InlineData("""{"risk_threshold": "severe"}""", "policy.risk_threshold", "a risk tier")]
    [InlineData("""{"uncertainty_threshold": -0.1}""", "policy.uncertainty_threshold", "from 0 to 1")]
    [InlineData("""{"max_daily_cost_usd": "10"}""", "policy.max_daily_cost_usd", "a number of at least 0")]
    [InlineData("""{"scrub_phi": "yes"}""", "policy.scrub_phi", "true or false")]
    [InlineData("""{"mode": 3}""", "policy.mode", "a mode name")]
    [InlineData("""{"mode": "turbo"}""", "policy.mode", "unknown policy mode 'turbo'")]
    [InlineData("\"lenient\"", "policy", "unknown policy mode 'lenient'")]
    [InlineData("7", "policy", "a mode name")]
    [InlineData("""{"max_stepz": 3}""", "policy.max_stepz", "did you mean 'max_steps'?")]
    public void A_wrong_value_is_reported_naming_its_field(string json, string field, string problem)
    {
        var read = Read(json);

        Assert.Null(read.Policy);
        var (name, message) = read.Error!.Value;
        Assert.Equal(field, name);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_field_lists_every_known_one()
    {
        var (_, message) = Read("""{"guardien": true}""").Error!.Value;

        Assert.Equal($"unknown policy field 'guardien' (did you mean 'guardian'? expected {string.Join(", ", PolicyFields.Names)})", message);
    }

    [Fact]
    public void Unknown_tools_are_reported_by_position_with_a_hint_when_tools_are_known()
    {
        const string Json = """{"allowed_tools": ["search", "shel"], "risk": {"serch": "high"}}""";

        Assert.Empty(Read(Json).Problems);
        var problems = Read(Json, ["search", "shell"]).Problems;

        Assert.Equal(["policy.allowed_tools[1]", "policy.risk.serch"], problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.Equal(PolicyProblemKind.UnknownTool, p.Kind));
        Assert.Contains("did you mean 'shell'?", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'search'?", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tool_listed_twice_is_kept_once()
    {
        Assert.Equal(["search"], Read("""{"allowed_tools": ["search", "search"]}""").Policy!.AllowedTools);
    }
}
