using System.Text.Json.Serialization;

namespace MeshFlow.Workflows;

/// <summary>One problem found in a workflow definition.</summary>
/// <param name="Code">A stable code from <see cref="WorkflowErrorCodes"/>.</param>
/// <param name="Message">What is wrong, naming the node, edge or field.</param>
/// <param name="Path">Where in the definition, such as <c>edges[2].when</c>.</param>
/// <param name="Location">Line and column in the source text, when the workflow came from text.</param>
public sealed record WorkflowValidationError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("path")] string? Path = null,
    [property: JsonIgnore] SourceLocation? Location = null)
{
    /// <summary>The 1-based line, when known.</summary>
    [JsonPropertyName("line")]
    public int? Line => Location?.Line;

    /// <summary>The 1-based column, when known.</summary>
    [JsonPropertyName("column")]
    public int? Column => Location?.Column;

    /// <inheritdoc />
    public override string ToString() =>
        Location is { } at ? $"{at.Line}:{at.Column}: {Message}" : Message;
}
