using System.Text.Json;
using MeshFlow.Governance.Risk;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Governance.Risk;

public sealed class ToolRiskTests
{
    [Fact]
    public void A_tool_that_declares_nothing_has_no_declared_tier()
    {
        var tool = AIFunctionFactory.Create(() => "ok", "ping");

        Assert.Null(ToolRisk.DeclaredBy(tool));
    }

    [Fact]
    public void Factory_options_can_carry_the_declaration()
    {
        var tool = AIFunctionFactory.Create(() => "ok",
            new AIFunctionFactoryOptions { Name = "ping", AdditionalProperties = ToolRisk.Properties(RiskTier.Low) });

        Assert.Equal(RiskTier.Low, ToolRisk.DeclaredBy(tool));
    }

    [Theory]
    [InlineData("low", RiskTier.Low)]
    [InlineData("MEDIUM", RiskTier.Medium)]
    [InlineData("high", RiskTier.High)]
    [InlineData("critical", RiskTier.Critical)]
    public void A_wire_name_declares_its_tier(string name, RiskTier tier)
    {
        var fromString = Declaring(name);
        var fromJson = Declaring(JsonSerializer.SerializeToElement(name));

        Assert.Equal(tier, ToolRisk.DeclaredBy(fromString));
        Assert.Equal(tier, ToolRisk.DeclaredBy(fromJson));
    }

    [Theory]
    [InlineData("severe")]
    [InlineData("2")]
    [InlineData("")]
    public void An_unknown_name_declares_nothing(string name)
    {
        Assert.Null(ToolRisk.DeclaredBy(Declaring(name)));
    }

    [Fact]
    public void A_number_or_an_undefined_tier_declares_nothing()
    {
        Assert.Null(ToolRisk.DeclaredBy(Declaring(2)));
        Assert.Null(ToolRisk.DeclaredBy(Declaring((RiskTier)42)));
        Assert.Null(ToolRisk.DeclaredBy(Declaring(JsonSerializer.SerializeToElement(2))));
    }

    [Fact]
    public async Task WithRisk_declares_the_tier_and_passes_everything_else_through()
    {
        var original = AIFunctionFactory.Create((int a, int b) => a + b,
            new AIFunctionFactoryOptions { Name = "add", Description = "adds", AdditionalProperties = new Dictionary<string, object?> { ["team"] = "math" } });

        var declared = original.WithRisk(RiskTier.Low);
        var result = await declared.InvokeAsync(new AIFunctionArguments { ["a"] = 2, ["b"] = 3 }, TestContext.Current.CancellationToken);

        Assert.Equal(RiskTier.Low, ToolRisk.DeclaredBy(declared));
        Assert.Equal("math", declared.AdditionalProperties["team"]);
        Assert.Equal(("add", "adds"), (declared.Name, declared.Description));
        Assert.Equal(original.JsonSchema.GetRawText(), declared.JsonSchema.GetRawText());
        Assert.Equal(5, ((JsonElement)result!).GetInt32());
        Assert.Null(ToolRisk.DeclaredBy(original));
    }

    [Fact]
    public void Declaring_again_replaces_the_declaration_without_stacking_wrappers()
    {
        var original = AIFunctionFactory.Create(() => "ok", "ping");

        var redeclared = original.WithRisk(RiskTier.Low).WithRisk(RiskTier.Critical);

        Assert.Equal(RiskTier.Critical, ToolRisk.DeclaredBy(redeclared));
        Assert.Same(original, Inner(redeclared));
    }

    [Fact]
    public void Wire_names_are_snake_case()
    {
        Assert.Equal(["low", "medium", "high", "critical"], Enum.GetValues<RiskTier>().Select(ToolRisk.WireName));
        Assert.Equal("\"critical\"", JsonSerializer.Serialize(RiskTier.Critical));
    }

    private static AIFunction Inner(AIFunction function) =>
        (AIFunction)typeof(DelegatingAIFunction).GetProperty("InnerFunction", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)!
            .GetValue(function)!;

    private static AIFunction Declaring(object? declaration) =>
        AIFunctionFactory.Create(() => "ok", new AIFunctionFactoryOptions
        {
            Name = "tool",
            AdditionalProperties = new Dictionary<string, object?> { [ToolRisk.PropertyKey] = declaration },
        });
}
