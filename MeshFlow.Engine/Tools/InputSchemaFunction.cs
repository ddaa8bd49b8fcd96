using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tools;

/// <summary>
/// A tool whose input schema (and, when given, description) is declared apart from its implementation
/// (<see cref="ToolSchemas.WithInputSchema"/>, a definition's <c>input_schema</c>): the model sees the declared
/// schema and calls are checked against it; everything else, invocation included, passes through to the original.
/// </summary>
internal sealed class InputSchemaFunction(AIFunction original, JsonElement? inputSchema, string? description) : DelegatingAIFunction(original)
{
    /// <summary>The declared schema, or null when only the description is declared.</summary>
    public JsonElement? InputSchema { get; } = inputSchema?.Clone();

    /// <summary>The declared description, or null when the original's stands.</summary>
    public string? DeclaredDescription { get; } = description;

    public AIFunction Original => InnerFunction;

    public override JsonElement JsonSchema => InputSchema ?? base.JsonSchema;

    public override string Description => DeclaredDescription ?? base.Description;

    /// <summary>The same declaration over another implementation (a named tool once the engine resolves it).</summary>
    public InputSchemaFunction Over(AIFunction implementation) => new(implementation, InputSchema, DeclaredDescription);
}
