namespace MeshFlow.Cli.Traces;

/// <summary>One tool call of a step.</summary>
internal sealed record ToolCallView(string Name, string Arguments, string? Result);
