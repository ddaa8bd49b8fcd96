namespace MeshFlow.Conditions;

/// <summary>The kinds of token in a condition.</summary>
internal enum ConditionTokenKind
{
    End,
    Identifier,
    String,
    Number,
    OrOr,
    AndAnd,
    EqualEqual,
    BangEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Bang,
    Minus,
    LeftParen,
    RightParen,
    Comma,
    Dot,
    LeftBracket,
    RightBracket,
}
