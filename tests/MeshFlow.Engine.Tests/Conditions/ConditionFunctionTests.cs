using MeshFlow.Conditions;

namespace MeshFlow.Tests.Conditions;

public sealed class ConditionFunctionTests
{
    private static bool Evaluate(string condition, string output = "") =>
        ConditionTestScope.Evaluate(condition, new ConditionTestScope(output));

    [Theory]
    [InlineData("contains(output, 'World')", true)]
    [InlineData("contains(output, 'world')", false)]
    [InlineData("icontains(output, 'WORLD')", true)]
    [InlineData("icontains(output, 'planet')", false)]
    [InlineData("starts_with(output, 'Hello')", true)]
    [InlineData("starts_with(output, 'World')", false)]
    [InlineData("ends_with(output, 'World')", true)]
    [InlineData("ends_with(output, 'hello')", false)]
    public void String_tests_compare_ordinally(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition, "Hello World"));

    [Theory]
    [InlineData("contains_any(output, 'REJECTED', 'NEEDS WORK')", true)]
    [InlineData("contains_any(output, 'APPROVED')", false)]
    [InlineData("contains_any(output, 'x', 'y', 'z', 'WORK')", true)]
    public void Contains_any_is_true_when_any_part_occurs(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition, "verdict: NEEDS WORK"));

    [Theory]
    [InlineData("lower(output) == '  mixed case '")]
    [InlineData("upper(output) == '  MIXED CASE '")]
    [InlineData("trim(output) == 'Mixed Case'")]
    [InlineData("upper(trim(output)) == 'MIXED CASE'")]
    public void Lower_upper_and_trim_transform_text(string condition) =>
        Assert.True(Evaluate(condition, "  Mixed Case "));

    [Theory]
    [InlineData("len(output) == 5")]
    [InlineData("length(output) == 5")]
    [InlineData("len('') == 0")]
    [InlineData("len(output) > 2 && len(output) < 10")]
    public void Len_and_length_count_characters(string condition) =>
        Assert.True(Evaluate(condition, "hello"));

    [Theory]
    [InlineData("number(output) > 0.5")]
    [InlineData("number(' 0.75 ') == 0.75")]
    [InlineData("number('-2') < 0")]
    [InlineData("number('1e3') == 1000")]
    [InlineData("number(number('3')) == 3")]
    public void Number_parses_text_with_the_invariant_culture(string condition) =>
        Assert.True(Evaluate(condition, "0.75"));

    [Theory]
    [InlineData("number(output) > 1", "abc")]
    [InlineData("number(output) > 1", "1,5")]
    [InlineData("number(output) > 1", "")]
    [InlineData("number(true) > 1", "")]
    public void Number_of_something_that_is_not_numeric_is_an_evaluation_error(string condition, string output) =>
        Assert.Throws<ConditionEvaluationException>(() => Evaluate(condition, output));

    [Fact]
    public void String_functions_reject_numbers_and_booleans()
    {
        var error = Assert.Throws<ConditionEvaluationException>(() => Evaluate("contains(iteration, '1')"));

        Assert.Contains("contains() expects a string here, but got a number (1) at column 10", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"matches(output, '^score: \d+/10$')", true)]
    [InlineData(@"matches(output, 'SCORE')", false)]
    [InlineData(@"matches(output, '(?i)SCORE')", true)]
    [InlineData(@"matches(output, '\\d')", true)]
    public void Matches_tests_a_regular_expression_and_keeps_unknown_escapes_for_it(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition, "score: 8/10"));

    [Fact]
    public void Matches_finishes_on_a_pathological_input()
    {
        var input = new string('a', 10_000) + "!";

        Assert.False(Evaluate("matches(output, '^(a+)+$')", input));
        Assert.False(Evaluate("matches(output, '^(a|aa)*(b|c)$')", input));
        Assert.True(Evaluate("matches(output, '^(a|a?)+!$')", input));
    }

    [Theory]
    [InlineData(@"output == 'it\'s'", "it's")]
    [InlineData(@"output == ""say \""hi\""""", "say \"hi\"")]
    [InlineData(@"output == 'a\\b'", @"a\b")]
    [InlineData(@"output == 'line\nnext\tcol'", "line\nnext\tcol")]
    public void Strings_understand_backslash_escapes(string condition, string output) =>
        Assert.True(Evaluate(condition, output));
}
