namespace MeshFlow.Conditions;

/// <summary><c>a &amp;&amp; b &amp;&amp; c</c> (or <c>and</c>): true when every operand is; stops at the first false.</summary>
internal sealed class ConditionAndNode : ConditionNode
{
    private readonly ConditionNode[] _operands;

    public ConditionAndNode(ConditionNode[] operands)
        : base(operands[0].Position)
    {
        _operands = operands;
    }

    public override ConditionValue Evaluate(IConditionScope scope)
    {
        foreach (var operand in _operands)
        {
            if (!operand.EvaluateBoolean(scope, "'&&' (and)"))
            {
                return ConditionValue.False;
            }
        }

        return ConditionValue.True;
    }
}

/// <summary><c>a || b || c</c> (or <c>or</c>): true when any operand is; stops at the first true.</summary>
internal sealed class ConditionOrNode : ConditionNode
{
    private readonly ConditionNode[] _operands;

    public ConditionOrNode(ConditionNode[] operands)
        : base(operands[0].Position)
    {
        _operands = operands;
    }

    public override ConditionValue Evaluate(IConditionScope scope)
    {
        foreach (var operand in _operands)
        {
            if (operand.EvaluateBoolean(scope, "'||' (or)"))
            {
                return ConditionValue.True;
            }
        }

        return ConditionValue.False;
    }
}

/// <summary><c>!a</c> (or <c>not a</c>).</summary>
internal sealed class ConditionNotNode : ConditionNode
{
    private readonly ConditionNode _operand;

    public ConditionNotNode(ConditionNode operand, int position)
        : base(position)
    {
        _operand = operand;
    }

    public override ConditionValue Evaluate(IConditionScope scope) =>
        ConditionValue.FromBoolean(!_operand.EvaluateBoolean(scope, "'!' (not)"));
}
