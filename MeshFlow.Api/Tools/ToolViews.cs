using System.Text.Json;

namespace MeshFlow.Api.Tools;

/// <summary>The answer of <c>GET /tools</c>, by name.</summary>
public sealed record ToolList(IReadOnlyList<ToolView> Tools);

/// <summary>One tool: what a model is told about it (description, schema), its risk tier and whether MeshFlow ships it.</summary>
public sealed record ToolView(string Name, string Description, string Risk, bool BuiltIn, JsonElement Schema)
{
    /// <summary>How long one call may take, for a built-in tool.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>The most characters one call returns, for a built-in tool.</summary>
    public int? MaxOutputChars { get; init; }
}
