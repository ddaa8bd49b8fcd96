namespace MeshFlow.Conditions;

/// <summary>The two-string tests.</summary>
internal enum ConditionStringTest
{
    Contains,
    ContainsIgnoringCase,
    StartsWith,
    EndsWith,
}
