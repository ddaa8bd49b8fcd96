namespace MeshFlow.Cli.Client;

/// <summary>One entry of a ProblemDetails' <c>errors</c>.</summary>
internal sealed record ServerFieldError(string? Path, string Message, int? Line, int? Column)
{
    public string Describe() => Path is { Length: > 0 } path ? $"{path}: {Message}" : Message;
}
