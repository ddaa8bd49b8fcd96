using MeshFlow.Governance.Risk;
using MeshFlow.Tools.Utility;

namespace MeshFlow.Tests.Tools.Utility;

public sealed class CalculatorToolTests
{
    private readonly CalculatorTool _calculator = new();

    private Task<string> Calculate(string expression) => _calculator.CallAsync(new Dictionary<string, object?> { ["expression"] = expression });

    private Task<string> Refused(string expression) => _calculator.RefusedAsync(new Dictionary<string, object?> { ["expression"] = expression });

    [Theory]
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("(1 + 2) * 3", "9")]
    [InlineData("10 / 4", "2.5")]
    [InlineData("0.1 + 0.2", "0.30000000000000004")]
    [InlineData("7 % 3", "1")]
    [InlineData("-3 + 5", "2")]
    [InlineData("2 ** 10", "1024")]
    [InlineData("2 ** -1", "0.5")]
    [InlineData("Sqrt(16) + Abs(-2)", "6")]
    [InlineData("Pow(2, 0.5) * Pow(2, 0.5) > 1.99", "true")]
    [InlineData("Max(3, 9) - Min(3, 9)", "6")]
    [InlineData("Round(2.345, 2)", "2.35")]
    [InlineData("Floor(2.7) + Ceiling(2.1)", "5")]
    [InlineData("Log10(1000)", "3")]
    [InlineData("Round(Sin(pi / 2), 6)", "1")]
    [InlineData("Round(Log(e), 6)", "1")]
    [InlineData("2147483647 + 1", "2147483648")]
    [InlineData("3 > 2 and 1 < 2", "true")]
    [InlineData("1.5e3", "1500")]
    public async Task Arithmetic_is_evaluated_in_the_invariant_culture(string expression, string expected)
    {
        Assert.Equal(expected, await Calculate(expression));
    }

    [Theory]
    [InlineData("\"a\".Length")]
    [InlineData("'a'.Length")]
    [InlineData("x.GetType()")]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')")]
    [InlineData("typeof(x)")]
    [InlineData("[x]")]
    [InlineData("x + 1")]
    [InlineData("{x} * 2")]
    [InlineData("Evaluate('1+1')")]
    [InlineData("if(1 > 0, 1, 2)")]
    [InlineData("in(1, 1, 2)")]
    [InlineData("'abc'")]
    [InlineData("#2024-01-01#")]
    [InlineData("'1' + 1")]
    [InlineData("5!")]
    [InlineData("1 << 40")]
    [InlineData("2 ^ 3")]
    public async Task Member_access_types_parameters_strings_and_unknown_functions_are_refused(string expression)
    {
        var message = await Refused(expression);
        Assert.StartsWith("calculator: ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9**9**9", "exponent")]
    [InlineData("(9**9)**(9**9)", "exponent")]
    [InlineData("2 ** (2 ** 11)", "exponent")]
    [InlineData("Pow(10, 100000)", "exponent")]
    [InlineData("10 ** 400", "beyond the range")]
    [InlineData("Pow(10, 308) * 100", "not a finite number")]
    [InlineData("Exp(1000)", "not a finite number")]
    [InlineData("1 / 0", "not a finite number")]
    [InlineData("Sqrt(-1)", "not a finite number")]
    public async Task Powers_and_results_out_of_range_are_refused(string expression, string reason)
    {
        Assert.Contains(reason, await Refused(expression), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ten_thousand_deep_expression_and_a_megabyte_expression_are_refused_before_parsing()
    {
        var deep = new string('(', 10_000) + "1" + new string(')', 10_000);
        Assert.Contains("at most 1,000", await Refused(deep), StringComparison.Ordinal);
        Assert.Contains("at most 1,000", await Refused(string.Concat(Enumerable.Repeat("1+", 500_000)) + "1"), StringComparison.Ordinal);

        // Short enough, but nested past the bracket limit.
        var nested = new string('(', 100) + "1" + new string(')', 100);
        Assert.Contains("more than 64 deep", await Refused(nested), StringComparison.Ordinal);
        var functions = string.Concat(Enumerable.Repeat("Abs(", 70)) + "1" + new string(')', 70);
        Assert.Contains("more than 64 deep", await Refused(functions), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deep_tree_without_brackets_is_refused_and_a_long_sum_is_fine()
    {
        Assert.Equal("200", await Calculate(string.Join('+', Enumerable.Repeat("1", 200))));
        Assert.Contains("levels deep", await Refused(string.Join('+', Enumerable.Repeat("1", 400))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nonsense_is_refused_with_the_parser_s_reason()
    {
        Assert.Contains("not a valid arithmetic expression", await Refused("1 +* 2)"), StringComparison.Ordinal);
        Assert.Contains("empty", await Refused("   "), StringComparison.Ordinal);
    }

    [Fact]
    public void The_calculator_declares_a_low_tier_and_a_closed_schema()
    {
        Assert.Equal(RiskTier.Low, _calculator.Risk);
        Assert.False(_calculator.JsonSchema.GetProperty("additionalProperties").GetBoolean());
    }
}
