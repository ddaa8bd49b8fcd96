using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tools;

/// <summary>
/// Checks a tool call's arguments against the tool's input schema before the tool runs. A call that fails is not
/// made: what this returns is the call's result, which the model sees (so it can correct the call) and the step's
/// record keeps.
/// </summary>
/// <remarks>
/// It runs before the tool binds its arguments: a C# tool made by <see cref="AIFunctionFactory"/> would otherwise
/// throw from its binding on a mistyped argument, and a call whose arguments are not JSON would reach it empty.
/// </remarks>
internal static class ToolArgumentValidator
{
    /// <summary>
    /// Why the call cannot be made (<c>invalid arguments for tool 'lookup': /limit: Value is "string" but should be
    /// "integer"</c>), or null when its arguments meet the tool's schema.
    /// </summary>
    /// <param name="tool">The tool, whose <see cref="AIFunctionDeclaration.JsonSchema"/> the arguments must meet.</param>
    /// <param name="call">The model's call, when a model made it: a provider that could not parse the arguments says so on it.</param>
    /// <param name="arguments">The arguments the tool would be called with.</param>
    public static string? Problem(AIFunction tool, FunctionCallContent? call, IDictionary<string, object?> arguments)
    {
        if (call?.Exception is { } unreadable)
        {
            return $"invalid arguments for tool '{tool.Name}': they are not valid JSON ({Innermost(unreadable).Message})";
        }

        var schema = ToolInputSchema.For(tool.JsonSchema);
        if (schema.Problem is { } problem)
        {
            return $"tool '{tool.Name}' was not run: its input schema is not a valid JSON Schema: {problem}";
        }

        if (ToJson(arguments, tool.JsonSerializerOptions) is not { } json)
        {
            return $"invalid arguments for tool '{tool.Name}': they cannot be written as JSON";
        }

        var problems = schema.Check(json);
        return problems.Count == 0 ? null : $"invalid arguments for tool '{tool.Name}': {string.Join("; ", problems)}";
    }

    // The arguments as the tool would read them: with its own serializer options (how it names enum members, say),
    // or the default ones when its options cannot write a value of the call (a value a host put in).
    private static JsonElement? ToJson(IDictionary<string, object?> arguments, JsonSerializerOptions options)
    {
        foreach (var attempt in (ReadOnlySpan<JsonSerializerOptions>)[options, AIJsonUtilities.DefaultOptions])
        {
            try
            {
                return JsonSerializer.SerializeToElement(arguments, attempt);
            }
            catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
            {
                // Tried with the next options, if any.
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
