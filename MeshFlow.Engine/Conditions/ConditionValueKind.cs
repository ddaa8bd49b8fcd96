namespace MeshFlow.Conditions;

/// <summary>The four kinds of value a condition works with.</summary>
internal enum ConditionValueKind
{
    Null = 0,
    Text,
    Number,
    Boolean,
}
