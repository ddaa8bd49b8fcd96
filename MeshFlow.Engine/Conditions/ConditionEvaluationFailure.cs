namespace MeshFlow.Conditions;

/// <summary>
/// Thrown by evaluation nodes, which know where they sit in the expression but not its text;
/// <see cref="ConditionExpression.Evaluate"/> turns it into a <see cref="ConditionEvaluationException"/>.
/// </summary>
internal sealed class ConditionEvaluationFailure : Exception
{
    public ConditionEvaluationFailure(string detail, int position)
        : base(detail)
    {
        Position = position;
    }

    public int Position { get; }
}
