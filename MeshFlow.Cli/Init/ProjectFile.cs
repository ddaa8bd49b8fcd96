namespace MeshFlow.Cli.Init;

/// <summary>A file of a new project: its path relative to the project's folder, with '/' separators, and its text.</summary>
internal sealed record ProjectFile(string Path, string Content);
