using MeshFlow.Conditions;

namespace MeshFlow.Tests.Conditions;

public sealed class ConditionOperatorTests
{
    private static bool Evaluate(string condition, string output = "", int iteration = 1) =>
        ConditionTestScope.Evaluate(condition, new ConditionTestScope(output, iteration));

    [Fact]
    public void Negated_contains_is_true_when_the_word_is_absent() =>
        Assert.True(Evaluate("!contains(output, 'APPROVED')", "needs another pass"));

    [Fact]
    public void Negated_contains_is_false_when_the_word_is_present() =>
        Assert.False(Evaluate("!contains(output, 'APPROVED')", "APPROVED, ship it"));

    [Theory]
    [InlineData("'a' == 'a'", true)]
    [InlineData("'a' == 'A'", false)]
    [InlineData("\"a\" == 'a'", true)]
    [InlineData("1 == 1.0", true)]
    [InlineData("0.75 != 0.5", true)]
    [InlineData("true == true", true)]
    [InlineData("true != false", true)]
    [InlineData("null == null", true)]
    [InlineData("iteration == 2", true)]
    [InlineData("output != 'done'", false)]
    public void Equality_compares_values_of_the_same_kind(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition, "done", 2));

    [Theory]
    [InlineData("'1' == 1", false)]
    [InlineData("'true' == true", false)]
    [InlineData("null == ''", false)]
    [InlineData("null == 0", false)]
    [InlineData("'1' != 1", true)]
    public void Values_of_different_kinds_are_simply_not_equal(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition));

    [Theory]
    [InlineData("iteration < 3", true)]
    [InlineData("iteration <= 2", true)]
    [InlineData("iteration > 2", false)]
    [InlineData("iteration >= 2", true)]
    [InlineData("2.5 > 2", true)]
    [InlineData("'b' > 'a'", true)]
    [InlineData("'B' < 'a'", true)]
    [InlineData("'abc' <= 'abd'", true)]
    public void Ordering_compares_two_numbers_or_two_strings_ordinally(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition, iteration: 2));

    [Fact]
    public void Ordering_a_string_against_a_number_is_an_evaluation_error()
    {
        var condition = ConditionExpression.Parse("output < 3");

        var error = Assert.Throws<ConditionEvaluationException>(() => condition.Evaluate(new ConditionTestScope("abc")));

        Assert.Equal(
            "'<' compares two numbers or two strings, but got a string ('abc') and a number (3) at column 8 of condition \"output < 3\"",
            error.Message);
    }

    [Fact]
    public void Ordering_against_null_is_an_evaluation_error() =>
        Assert.Throws<ConditionEvaluationException>(() => Evaluate("outputs.missing >= 1"));

    [Theory]
    [InlineData("true || false && false", true)]
    [InlineData("(true || false) && false", false)]
    [InlineData("false && false || true", true)]
    [InlineData("false && (false || true)", false)]
    public void And_binds_tighter_than_or(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition));

    [Theory]
    [InlineData("1 < 2 == true", true)]
    [InlineData("1 < 2 != 2 < 3", false)]
    [InlineData("iteration == 1 && 2 > 1", true)]
    public void Comparison_binds_tighter_than_equality_which_binds_tighter_than_and(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition));

    [Theory]
    [InlineData("!false && false", false)]
    [InlineData("!(false && false)", true)]
    [InlineData("!!true", true)]
    [InlineData("!true == false", true)]
    public void Not_binds_tighter_than_every_binary_operator(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition));

    [Theory]
    [InlineData("-2 < 0", true)]
    [InlineData("-iteration == -3", true)]
    [InlineData("--2 == 2", true)]
    [InlineData("-(1) < -0.5", true)]
    public void Unary_minus_negates_numbers(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition, iteration: 3));

    [Fact]
    public void Unary_minus_on_a_string_is_an_evaluation_error() =>
        Assert.Throws<ConditionEvaluationException>(() => Evaluate("-output == 1", "x"));

    [Theory]
    [InlineData("true and false", false)]
    [InlineData("false or true", true)]
    [InlineData("not false", true)]
    [InlineData("not contains(output, 'x') or iteration > 2 and true", false)]
    [InlineData("iteration >= 1 and not (output == 'x')", false)]
    public void Keywords_and_or_not_work_like_the_symbols(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition, "x", 1));

    [Theory]
    [InlineData("false && number('x') > 1", false)]
    [InlineData("true || number('x') > 1", true)]
    [InlineData("iteration > 5 and output < 3", false)]
    public void Logical_operators_short_circuit_so_the_other_side_is_never_evaluated(string condition, bool expected) =>
        Assert.Equal(expected, Evaluate(condition, "text", 1));

    [Theory]
    [InlineData("output && true")]
    [InlineData("false || iteration")]
    [InlineData("!output")]
    [InlineData("not null")]
    public void Logical_operators_require_booleans_rather_than_truthiness(string condition) =>
        Assert.Throws<ConditionEvaluationException>(() => Evaluate(condition, "text"));

    [Fact]
    public void A_condition_that_does_not_produce_a_boolean_is_an_evaluation_error()
    {
        var error = Assert.Throws<ConditionEvaluationException>(() => Evaluate("lower(output)", "Text"));

        Assert.Equal("condition \"lower(output)\" must produce true or false, but produced a string ('text')", error.Message);
    }
}
