using System.Text.Json;

namespace MeshFlow.Agents;

/// <summary>
/// One answer of the <c>scripted</c> model: text, streamed word by word, or a call of one of the agent's tools,
/// streamed as a provider streams one, so the tool really runs and the model is called again for the next answer.
/// </summary>
/// <example>
/// <code>
/// new AgentNode("operator")
/// {
///     Model = ModelNames.Scripted,
///     Tools = [shell],
///     Responses = [ScriptedResponse.ToolCall("shell", new { command = "ls" }), "Done."],
/// };
/// </code>
/// </example>
public sealed record ScriptedResponse
{
    private static readonly JsonElement NoArguments = JsonDocument.Parse("{}").RootElement.Clone();

    private ScriptedResponse(string? text, string? toolName, JsonElement? arguments)
    {
        Text = text;
        ToolName = toolName;
        Arguments = arguments;
    }

    /// <summary>The text answered; null for a tool call.</summary>
    public string? Text { get; }

    /// <summary>The tool called; null for text.</summary>
    public string? ToolName { get; }

    /// <summary>The tool call's arguments, a JSON object of argument names to values; null for text.</summary>
    public JsonElement? Arguments { get; }

    /// <summary>True when this answer calls a tool.</summary>
    public bool IsToolCall => ToolName is not null;

    /// <summary>Text answered as it is.</summary>
    public static implicit operator ScriptedResponse(string text) => FromText(text);

    /// <summary>Text answered as it is.</summary>
    public static ScriptedResponse FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ScriptedResponse(text, null, null);
    }

    /// <summary>A call of the tool <paramref name="name"/>.</summary>
    /// <param name="name">The tool's name, as the agent's tools name it.</param>
    /// <param name="arguments">
    /// The arguments: an object whose properties are the arguments (an anonymous object, a dictionary of names to
    /// values, a JSON object), or null for none.
    /// </param>
    /// <exception cref="ArgumentException">The arguments are not an object of named values.</exception>
    public static ScriptedResponse ToolCall(string name, object? arguments = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var element = arguments switch
        {
            null => NoArguments,
            JsonElement json => json.Clone(),
            _ => JsonSerializer.SerializeToElement(arguments, arguments.GetType()),
        };
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException(
                $"the arguments of a scripted call of '{name}' must be an object of argument names to values, not {element.ValueKind}",
                nameof(arguments));
        }

        return new ScriptedResponse(null, name, element);
    }

    /// <summary>
    /// The arguments as a provider hands them to a function: each argument name with its value as a JSON element.
    /// </summary>
    internal Dictionary<string, object?> ArgumentValues() =>
        Arguments is { } arguments
            ? arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value, StringComparer.Ordinal)
            : [];

    /// <inheritdoc />
    public bool Equals(ScriptedResponse? other) =>
        other is not null && Text == other.Text && ToolName == other.ToolName &&
        (Arguments is null ? other.Arguments is null : other.Arguments is { } theirs && JsonElement.DeepEquals(Arguments.Value, theirs));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Text, ToolName);

    /// <summary>The text, or the call as <c>tool_call shell {"command":"ls"}</c>.</summary>
    public override string ToString() => Text ?? $"tool_call {ToolName} {Arguments?.GetRawText()}";
}
