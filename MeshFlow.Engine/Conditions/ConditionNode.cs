namespace MeshFlow.Conditions;

/// <summary>
/// A node of a parsed condition. Nodes are immutable and can be evaluated concurrently; evaluating one never runs
/// user code and, for the usual conditions, never allocates.
/// </summary>
internal abstract class ConditionNode
{
    protected ConditionNode(int position)
    {
        Position = position;
    }

    /// <summary>The 0-based offset of the text this node was parsed from, used in error messages.</summary>
    public int Position { get; }

    public abstract ConditionValue Evaluate(IConditionScope scope);

    /// <summary>Evaluates the node and insists on a boolean, as <c>!</c>, <c>&amp;&amp;</c> and <c>||</c> do.</summary>
    public bool EvaluateBoolean(IConditionScope scope, string operatorName)
    {
        var value = Evaluate(scope);
        if (!value.IsBoolean)
        {
            throw new ConditionEvaluationFailure(
                $"{operatorName} needs true or false, but this operand is {value.Describe()}", Position);
        }

        return value.IsTrue;
    }
}
