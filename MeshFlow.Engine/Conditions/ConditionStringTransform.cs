namespace MeshFlow.Conditions;

/// <summary>The string-to-string functions.</summary>
internal enum ConditionStringTransform
{
    Lower,
    Upper,
    Trim,
}
