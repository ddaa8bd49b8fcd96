using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tools;

/// <summary>What a tool's arguments must look like: the JSON Schema a model sees and every call is checked against.</summary>
/// <remarks>
/// <para>
/// A C# tool made by <see cref="AIFunctionFactory"/> has its schema from its parameters: <c>[Description]</c> texts,
/// optional parameters (not required, with their default), lists and dictionaries, nested records, nullable values
/// (<c>["integer", "null"]</c>) and enums as string enums of their member names (<c>{"type": "string", "enum": ["Low",
/// "High"]}</c>). Enums need nothing configured: Microsoft.Extensions.AI's default serializer options carry a
/// <c>JsonStringEnumConverter</c>, which both writes the schema and binds the names back. A tool made with serializer
/// options of its own keeps that only if its options have such a converter.
/// </para>
/// <para>
/// <see cref="WithInputSchema"/> declares the schema apart from the implementation, as a definition's
/// <c>input_schema</c> does, for a tool whose parameters say too little (a JSON string parameter, a hand-written
/// <see cref="AIFunction"/>) or too much.
/// </para>
/// <para>
/// Before a tool runs, its arguments are checked against its schema (JSON Schema draft 2020-12, or the draft its
/// <c>$schema</c> names). A call that fails is not made; the model is given <c>invalid arguments for tool 'lookup':
/// /limit: Value is "string" but should be "integer"</c> as its result, and the step's record and <c>tool_result</c>
/// event say the same.
/// </para>
/// </remarks>
public static class ToolSchemas
{
    /// <summary>
    /// The same tool, declaring <paramref name="inputSchema"/> as its input schema (and <paramref name="description"/>,
    /// when given, as its description): a <see cref="DelegatingAIFunction"/> over <paramref name="tool"/> that the model
    /// sees with this schema and whose calls are checked against it before <paramref name="tool"/> runs.
    /// </summary>
    /// <param name="tool">The implementation. It is called with the arguments as the model sent them.</param>
    /// <param name="inputSchema">A JSON Schema object with <c>"type": "object"</c> (draft 2020-12 unless its <c>$schema</c> names another).</param>
    /// <param name="description">The description the model sees; null keeps the tool's own.</param>
    /// <exception cref="ArgumentException">The schema is not a valid JSON Schema of an object; the message says why and where.</exception>
    public static AIFunction WithInputSchema(this AIFunction tool, JsonElement inputSchema, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (ToolInputSchema.DeclaredProblem(inputSchema) is { } problem)
        {
            throw new ArgumentException($"the input schema of tool '{tool.Name}' is not a valid JSON Schema: {problem}", nameof(inputSchema));
        }

        // Declaring again replaces the earlier declaration rather than stacking wrappers.
        return new InputSchemaFunction(tool is InputSchemaFunction declared ? declared.Original : tool, inputSchema, description);
    }
}
