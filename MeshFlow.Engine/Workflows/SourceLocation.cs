namespace MeshFlow.Workflows;

/// <summary>A 1-based line and column in a workflow's source text.</summary>
public readonly record struct SourceLocation(int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"line {Line}, column {Column}";
}
