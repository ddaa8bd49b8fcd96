namespace MeshFlow.Conditions;

/// <summary>
/// One token of a condition: its kind, where it sits in the text, and for words and strings the word or the
/// unescaped string, for numbers the number.
/// </summary>
internal readonly record struct ConditionToken(ConditionTokenKind Kind, int Start, int Length, string? Value = null, double Number = 0)
{
    public bool IsWord(string word) => Kind == ConditionTokenKind.Identifier && string.Equals(Value, word, StringComparison.Ordinal);
}
