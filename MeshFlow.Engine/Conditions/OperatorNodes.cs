namespace MeshFlow.Conditions;

/// <summary>
/// <c>a == b</c> or <c>a != b</c>. Strings compare ordinally; values of different kinds are simply not equal.
/// </summary>
internal sealed class ConditionEqualityNode : ConditionNode
{
    private readonly ConditionNode _left;
    private readonly ConditionNode _right;
    private readonly bool _negated;

    public ConditionEqualityNode(ConditionNode left, ConditionNode right, bool negated)
        : base(left.Position)
    {
        _left = left;
        _right = right;
        _negated = negated;
    }

    public override ConditionValue Evaluate(IConditionScope scope) =>
        ConditionValue.FromBoolean(_left.Evaluate(scope).SameAs(_right.Evaluate(scope)) != _negated);
}

/// <summary><c>&lt; &lt;= &gt; &gt;=</c> between two numbers or two strings (ordinal).</summary>
internal sealed class ConditionComparisonNode : ConditionNode
{
    private readonly ConditionNode _left;
    private readonly ConditionNode _right;
    private readonly ConditionComparisonOperator _operator;
    private readonly int _operatorPosition;

    public ConditionComparisonNode(ConditionNode left, ConditionNode right, ConditionComparisonOperator comparison, int operatorPosition)
        : base(left.Position)
    {
        _left = left;
        _right = right;
        _operator = comparison;
        _operatorPosition = operatorPosition;
    }

    public override ConditionValue Evaluate(IConditionScope scope)
    {
        var left = _left.Evaluate(scope);
        var right = _right.Evaluate(scope);
        int order;
        if (left.Kind == ConditionValueKind.Number && right.Kind == ConditionValueKind.Number)
        {
            order = left.Number.CompareTo(right.Number);
        }
        else if (left.Kind == ConditionValueKind.Text && right.Kind == ConditionValueKind.Text)
        {
            order = string.CompareOrdinal(left.Text, right.Text);
        }
        else
        {
            throw new ConditionEvaluationFailure(
                $"'{Symbol(_operator)}' compares two numbers or two strings, but got {left.Describe()} and {right.Describe()}",
                _operatorPosition);
        }

        return ConditionValue.FromBoolean(_operator switch
        {
            ConditionComparisonOperator.Less => order < 0,
            ConditionComparisonOperator.LessOrEqual => order <= 0,
            ConditionComparisonOperator.Greater => order > 0,
            _ => order >= 0,
        });
    }

    private static string Symbol(ConditionComparisonOperator comparison) => comparison switch
    {
        ConditionComparisonOperator.Less => "<",
        ConditionComparisonOperator.LessOrEqual => "<=",
        ConditionComparisonOperator.Greater => ">",
        _ => ">=",
    };
}

/// <summary>Unary minus on a number.</summary>
internal sealed class ConditionNegateNode : ConditionNode
{
    private readonly ConditionNode _operand;

    public ConditionNegateNode(ConditionNode operand, int position)
        : base(position)
    {
        _operand = operand;
    }

    public override ConditionValue Evaluate(IConditionScope scope)
    {
        var value = _operand.Evaluate(scope);
        if (value.Kind != ConditionValueKind.Number)
        {
            throw new ConditionEvaluationFailure($"'-' needs a number, but got {value.Describe()}", Position);
        }

        return ConditionValue.FromNumber(-value.Number);
    }
}
