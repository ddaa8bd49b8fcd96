using MeshFlow.Conditions;

namespace MeshFlow.Workflows;

/// <summary>
/// When an edge is taken: a safe expression (<see cref="ConditionExpression"/>, the only form a declarative
/// workflow can use) or, from C#, a predicate.
/// </summary>
public sealed class EdgeCondition
{
    private readonly ConditionExpression? _expression;
    private readonly Func<IConditionScope, bool>? _predicate;

    private EdgeCondition(ConditionExpression? expression, Func<IConditionScope, bool>? predicate, string text)
    {
        _expression = expression;
        _predicate = predicate;
        Text = text;
    }

    /// <summary>The expression's text, or a description of the predicate.</summary>
    public string Text { get; }

    /// <summary>A condition from expression text.</summary>
    /// <exception cref="ConditionSyntaxException">The text is not a valid expression.</exception>
    public static EdgeCondition Expression(string text) =>
        new(ConditionExpression.Parse(text), null, text);

    /// <summary>A condition from an already parsed expression.</summary>
    public static EdgeCondition Expression(ConditionExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new(expression, null, expression.Text);
    }

    /// <summary>A condition from a C# predicate.</summary>
    public static EdgeCondition Predicate(Func<IConditionScope, bool> predicate, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new(null, predicate, description ?? "<predicate>");
    }

    /// <summary>Evaluates the condition.</summary>
    /// <exception cref="ConditionEvaluationException">The expression cannot be evaluated on these values.</exception>
    public bool Evaluate(IConditionScope scope) =>
        _expression is not null ? _expression.Evaluate(scope) : _predicate!(scope);

    /// <inheritdoc />
    public override string ToString() => Text;
}
