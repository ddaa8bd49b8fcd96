namespace MeshFlow.Tests.Governance.Guardian;

/// <summary>
/// One labelled text of the injection corpus: a payload or a benign look-alike, placed in a carrier (a tool output or
/// a document) after a variant (casing, spacing, invisible characters) was applied.
/// </summary>
public sealed record CorpusCase(string Name, string Text, string? ExpectedSignal)
{
    public bool IsInjection => ExpectedSignal is not null;

    public override string ToString() => Name;
}
