using MeshFlow.Conditions;

namespace MeshFlow.Tests.Conditions;

public sealed class ConditionExpressionTests
{
    [Fact]
    public void Text_and_ToString_return_the_condition_as_written()
    {
        const string Text = "  iteration < 3 and not contains(output, \"OK\")  ";

        var condition = ConditionExpression.Parse(Text);

        Assert.Equal(Text, condition.Text);
        Assert.Equal(Text, condition.ToString());
    }

    [Fact]
    public void TryParse_returns_the_condition_when_the_text_is_valid()
    {
        Assert.True(ConditionExpression.TryParse("iteration < 3", out var condition, out var error));

        Assert.NotNull(condition);
        Assert.Null(error);
        Assert.True(condition.Evaluate(new ConditionTestScope(iteration: 2)));
    }

    [Fact]
    public void TryParse_reports_a_syntax_error_without_throwing()
    {
        Assert.False(ConditionExpression.TryParse("output ==", out var condition, out var error));

        Assert.Null(condition);
        Assert.NotNull(error);
        Assert.Equal(9, error.Position);
    }

    [Fact]
    public void A_syntax_error_is_a_format_exception_and_an_evaluation_error_an_invalid_operation()
    {
        var syntax = Assert.Throws<ConditionSyntaxException>(() => ConditionExpression.Parse(")"));
        var evaluation = Assert.Throws<ConditionEvaluationException>(
            () => ConditionExpression.Parse("output").Evaluate(new ConditionTestScope("x")));

        Assert.IsType<FormatException>(syntax, exactMatch: false);
        Assert.IsType<InvalidOperationException>(evaluation, exactMatch: false);
    }

    [Fact]
    public void Evaluating_typical_conditions_does_not_allocate()
    {
        var negated = ConditionExpression.Parse("!contains(output, 'APPROVED')");
        var bounded = ConditionExpression.Parse("iteration < 3 && contains(output,'x')");
        var scope = new ConditionTestScope("a fairly long output that mentions x somewhere", 2);
        var hits = 0;
        for (var i = 0; i < 200; i++)
        {
            hits += Count(negated, bounded, scope);
        }

        // Tiered JIT may allocate on this thread once while promoting the methods; a real per-evaluation
        // allocation shows in every round, so the quietest of several rounds must be exactly zero.
        var quietest = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1_000; i++)
            {
                hits += Count(negated, bounded, scope);
            }

            quietest = Math.Min(quietest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, quietest);
        Assert.Equal(2 * 5_200, hits);
    }

    private static int Count(ConditionExpression first, ConditionExpression second, ConditionTestScope scope) =>
        (first.Evaluate(scope) ? 1 : 0) + (second.Evaluate(scope) ? 1 : 0);
}
