namespace MeshFlow.Dashboard.Components.Runs;

/// <summary>One choice of a filter: the value it sets and the text it shows.</summary>
public sealed record FilterOption(string Value, string Text);
