using MeshFlow.Conditions;

namespace MeshFlow.Tests.Conditions;

public sealed class ConditionSyntaxErrorTests
{
    private static ConditionSyntaxException SyntaxError(string condition) =>
        Assert.Throws<ConditionSyntaxException>(() => ConditionExpression.Parse(condition));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_condition_is_reported_at_the_start(string condition)
    {
        var error = SyntaxError(condition);

        Assert.Equal(0, error.Position);
        Assert.Equal("the condition is empty", error.Detail);
    }

    [Fact]
    public void An_unterminated_string_is_reported_at_its_opening_quote()
    {
        var error = SyntaxError("output == 'abc");

        Assert.Equal(10, error.Position);
        Assert.Contains("unterminated string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unexpected_character_is_reported_where_it_is()
    {
        var error = SyntaxError("output # 3");

        Assert.Equal(7, error.Position);
        Assert.Equal("unexpected character '#'", error.Detail);
        Assert.Equal("unexpected character '#' at column 8", error.Message);
    }

    [Fact]
    public void A_single_equals_sign_suggests_the_comparison_operator()
    {
        var error = SyntaxError("output = 'x'");

        Assert.Equal(7, error.Position);
        Assert.Contains("'=='", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_where_a_value_belongs_is_reported_with_what_was_expected()
    {
        var error = SyntaxError("output == )");

        Assert.Equal(10, error.Position);
        Assert.Equal("expected a value after '==' at column 8, found ')' (column 11)", error.Message);
    }

    [Fact]
    public void A_missing_close_parenthesis_names_the_open_one_and_the_end()
    {
        var error = SyntaxError("iteration > 1 && (output == 'x'");

        Assert.Equal(31, error.Position);
        Assert.Equal(
            "expected ')' to close '(' opened at column 18, found end of expression (column 32)",
            error.Message);
    }

    [Fact]
    public void A_call_missing_its_close_parenthesis_names_the_function()
    {
        var error = SyntaxError("contains(output, 'x'");

        Assert.Equal(20, error.Position);
        Assert.Equal(
            "expected ',' or ')' to close the call to contains( opened at column 9, found end of expression (column 21)",
            error.Message);
    }

    [Fact]
    public void Tokens_after_a_complete_condition_are_reported()
    {
        var error = SyntaxError("output == 'a' 'b'");

        Assert.Equal(14, error.Position);
        Assert.Equal("expected an operator or the end of the condition, found the string 'b' (column 15)", error.Message);
    }

    [Fact]
    public void An_unmatched_close_parenthesis_is_reported()
    {
        var error = SyntaxError("contains(output, 'x'))");

        Assert.Equal(21, error.Position);
        Assert.Equal("unexpected ')' at column 22 with no matching '('", error.Message);
        Assert.Equal("unexpected ')' with no matching '('", error.Detail);
    }

    [Fact]
    public void An_unknown_identifier_is_named_with_the_allowed_ones()
    {
        var error = SyntaxError("input == 'x'");

        Assert.Equal(0, error.Position);
        Assert.StartsWith(
            "unknown name 'input' at column 1; a condition can use output, iteration, state.<key>, outputs.<node-id>",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void An_identifier_in_the_wrong_case_gets_a_suggestion()
    {
        var error = SyntaxError("iteration > 1 && Output == 'x'");

        Assert.Equal(17, error.Position);
        Assert.Contains("did you mean 'output'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_function_is_reported_at_its_name_with_the_known_ones()
    {
        var error = SyntaxError("len(output) > 1 && contain(output, 'x')");

        Assert.Equal(19, error.Position);
        Assert.Contains("unknown function 'contain' (did you mean 'contains'?)", error.Message, StringComparison.Ordinal);
        Assert.Contains("contains, icontains, starts_with, ends_with, contains_any", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_name_without_a_call_is_explained()
    {
        var error = SyntaxError("contains == 1");

        Assert.Equal(0, error.Position);
        Assert.Contains("'contains' is a function", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("contains(output)", 0, "contains() takes 2 arguments but was given 1 at column 1, as in contains(text, part)")]
    [InlineData("iteration > 0 && contains_any(output)", 17, "contains_any() takes at least 2 arguments but was given 1 at column 18, as in contains_any(text, 'a', 'b', ...)")]
    [InlineData("lower(output, 'x') == 'x'", 0, "lower() takes 1 argument but was given 2 at column 1, as in lower(text)")]
    [InlineData("len() == 0", 0, "len() takes 1 argument but was given 0 at column 1, as in len(text)")]
    public void Wrong_arity_is_a_syntax_error_naming_the_function(string condition, int position, string message)
    {
        var error = SyntaxError(condition);

        Assert.Equal(position, error.Position);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("matches(output, '[a-')")]
    [InlineData(@"matches(output, '(a)\1')")]
    [InlineData(@"matches(output, 'x(?=y)')")]
    public void An_invalid_or_unsupported_pattern_is_reported_at_the_pattern(string condition)
    {
        var error = SyntaxError(condition);

        Assert.Equal(16, error.Position);
        Assert.Contains("regular expression in matches()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pattern_that_is_not_a_literal_is_rejected()
    {
        var error = SyntaxError("matches(output, outputs.pattern)");

        Assert.Equal(16, error.Position);
        Assert.Contains("quoted string literal", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("output ==", 9, "expected a value after '==' at column 8, found end of expression (column 10)")]
    [InlineData("iteration > 1 &&", 16, "expected a value after '&&' at column 15, found end of expression (column 17)")]
    [InlineData("true or", 7, "expected a value after 'or' at column 6, found end of expression (column 8)")]
    [InlineData("!", 1, "expected a value after '!' at column 1, found end of expression (column 2)")]
    [InlineData("contains(output, )", 17, "expected a value after ',' at column 16, found ')' (column 18)")]
    [InlineData("and output", 0, "expected a value, found 'and' (column 1)")]
    public void A_dangling_operator_is_reported_where_its_operand_is_missing(string condition, int position, string message)
    {
        var error = SyntaxError(condition);

        Assert.Equal(position, error.Position);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("1 < iteration < 3", 14)]
    [InlineData("output == 'a' != true", 14)]
    public void Comparisons_do_not_chain(string condition, int position)
    {
        var error = SyntaxError(condition);

        Assert.Equal(position, error.Position);
        Assert.Contains("cannot follow another comparison", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("state == 1", 6, "expected '.key' or ['key'] after 'state', found '=='")]
    [InlineData("outputs", 7, "expected '.node-id' or ['node-id'] after 'outputs', found end of expression")]
    [InlineData("state[1] == 1", 6, "expected a quoted key inside [ ], as in state['my-key'], found the number 1")]
    [InlineData("outputs.fact-check == 'ok'", 12, "expected an operator or the end of the condition (there is no subtraction;")]
    [InlineData("3. > 1", 1, "expected a digit after the decimal point in '3.'")]
    public void Malformed_names_and_numbers_are_reported_precisely(string condition, int position, string detail)
    {
        var error = SyntaxError(condition);

        Assert.Equal(position, error.Position);
        Assert.StartsWith(detail, error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('(')]
    [InlineData('!')]
    public void Deep_nesting_is_a_syntax_error_rather_than_a_stack_overflow(char opener)
    {
        var condition = new string(opener, 10_000) + "true" + (opener == '(' ? new string(')', 10_000) : string.Empty);

        var error = SyntaxError(condition);

        Assert.Equal(64, error.Position);
        Assert.Contains("nested too deeply", error.Message, StringComparison.Ordinal);
    }
}
