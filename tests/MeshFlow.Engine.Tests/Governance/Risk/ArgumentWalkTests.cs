using System.Text;
using System.Text.Json;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Risk;

public sealed class ArgumentWalkTests
{
    [Fact]
    public void Json_nested_deeper_than_the_limit_is_not_read_and_counts_as_unscanned()
    {
        // A destructive command below the depth limit is not seen; the call is still held at high, not trusted.
        var json = new StringBuilder("""{ "spec": """);
        for (var i = 0; i < 60; i++)
        {
            json.Append("""{ "inner": """);
        }

        json.Append("\"rm -rf /\"").Append('}', 61);

        var assessment = RiskCall.Assess("deploy", RiskTier.Low, json.ToString());

        Assert.Equal((RiskTier.High, RiskRuleIds.ArgumentsUnscanned), (assessment.Tier, assessment.Rule));
        Assert.Equal("argument 'spec' is too deep, too large or opaque to check", assessment.Detail);
    }

    [Fact]
    public void Json_within_the_depth_limit_is_read_to_the_bottom()
    {
        var json = new StringBuilder("""{ "spec": """);
        for (var i = 0; i < RiskRules.MaxDepth; i++)
        {
            json.Append("""{ "inner": """);
        }

        json.Append("\"rm -rf /\"").Append('}', RiskRules.MaxDepth + 1);

        var assessment = RiskCall.Assess("deploy", RiskTier.Low, json.ToString());

        Assert.Equal(RiskRuleIds.ShellDestructive, assessment.Rule);
    }

    [Fact]
    public void A_self_containing_dictionary_is_bounded()
    {
        var loop = new Dictionary<string, object?> { ["note"] = "hello" };
        loop["self"] = loop;

        var assessment = RiskRules.AssessTool("tool", RiskTier.Low, new Dictionary<string, RiskTier>(),
            new Dictionary<string, object?> { ["data"] = loop }, RiskRuleOptions.Default);

        Assert.Equal(RiskRuleIds.ArgumentsUnscanned, assessment.Rule);
    }

    [Fact]
    public void A_very_wide_array_is_bounded()
    {
        var json = "{ \"items\": [" + string.Join(',', Enumerable.Repeat("1", RiskRules.MaxValues + 10)) + "] }";

        var assessment = RiskCall.Assess("tool", RiskTier.Low, json);

        Assert.Equal(RiskRuleIds.ArgumentsUnscanned, assessment.Rule);
    }

    [Fact]
    public void An_object_the_rules_cannot_read_counts_as_unscanned()
    {
        var arguments = new Dictionary<string, object?> { ["request"] = new Version(1, 2), ["when"] = DateTimeOffset.UnixEpoch };

        var assessment = RiskRules.AssessTool("tool", RiskTier.Low, new Dictionary<string, RiskTier>(), arguments, RiskRuleOptions.Default);

        Assert.Equal((RiskTier.High, RiskRuleIds.ArgumentsUnscanned), (assessment.Tier, assessment.Rule));
        Assert.Equal("argument 'request' is too deep, too large or opaque to check", assessment.Detail);
    }

    [Fact]
    public void Escaped_json_strings_and_property_names_are_read_unescaped()
    {
        var assessment = RiskCall.Assess("tool", RiskTier.Low, """{ "opts": { "comm\u0061nd": "rm \u002drf /srv" } }""");

        Assert.Equal(RiskRuleIds.ShellDestructive, assessment.Rule);
    }

    [Fact]
    public void Plain_json_values_of_every_kind_leave_a_low_tool_low()
    {
        var assessment = RiskCall.Assess("tool", RiskTier.Low,
            """{ "q": "weather in Lisbon", "n": 3, "exact": true, "tags": ["a", "b"], "none": null, "nested": { "k": 1.5 } }""");

        Assert.Equal((RiskTier.Low, RiskRuleIds.Declared), (assessment.Tier, assessment.Rule));
    }

    [Fact]
    public void A_tool_held_critical_is_not_read_at_all()
    {
        var arguments = new Dictionary<string, object?> { ["x"] = new object() };

        var assessment = RiskRules.AssessTool("wipe", RiskTier.Critical, new Dictionary<string, RiskTier>(), arguments, RiskRuleOptions.Default);

        Assert.Equal((RiskTier.Critical, RiskRuleIds.Declared), (assessment.Tier, assessment.Rule));
    }

    [Fact]
    public void A_json_object_argument_is_judged_by_its_properties_names()
    {
        using var document = JsonDocument.Parse("""{ "url": "https://example.com/a", "mirror": { "url": "https://elsewhere.net" } }""");
        var arguments = new Dictionary<string, object?> { ["request"] = document.RootElement };

        var assessment = RiskRules.AssessTool("fetch", RiskTier.Low, new Dictionary<string, RiskTier>(), arguments, RiskCall.Scratch);

        Assert.Equal((RiskTier.High, "argument 'request' names a host that is not on the allow list"), (assessment.Tier, assessment.Detail));
    }
}
