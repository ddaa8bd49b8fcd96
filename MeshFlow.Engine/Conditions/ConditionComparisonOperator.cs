namespace MeshFlow.Conditions;

/// <summary>The ordering comparisons.</summary>
internal enum ConditionComparisonOperator
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
