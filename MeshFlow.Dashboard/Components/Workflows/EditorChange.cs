namespace MeshFlow.Dashboard.Components.Workflows;

/// <summary>The editor's text and whether the validator accepted exactly this text.</summary>
public sealed record EditorChange(string Text, bool Valid);
