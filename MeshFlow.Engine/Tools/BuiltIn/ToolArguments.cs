using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tools.BuiltIn;

/// <summary>
/// A built-in tool's arguments as the call gave them (JSON values from a model, CLR values from a workflow's
/// definition), read by name; a missing or mistyped one is a <see cref="BuiltInToolException"/> naming it.
/// </summary>
public sealed class ToolArguments
{
    private readonly string _tool;
    private readonly AIFunctionArguments _arguments;

    internal ToolArguments(string tool, AIFunctionArguments arguments)
    {
        _tool = tool;
        _arguments = arguments;
    }

    /// <summary>A required string argument.</summary>
    public string RequiredString(string name) =>
        OptionalString(name) ?? throw new BuiltInToolException($"{_tool}: the argument '{name}' is required");

    /// <summary>A string argument, or null when it is absent or null.</summary>
    public string? OptionalString(string name) => Value(name) switch
    {
        null => null,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        _ => throw Mistyped(name, "a string"),
    };

    /// <summary>A whole-number argument, or <paramref name="fallback"/> when absent; out of range is an error naming the range.</summary>
    public int OptionalInt(string name, int fallback, int min, int max)
    {
        long? number = Value(name) switch
        {
            null => null,
            int i => i,
            long l => l,
            double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => (long)d,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonElement { ValueKind: JsonValueKind.Number } element when element.TryGetInt64(out var parsed) => parsed,
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            _ => throw Mistyped(name, "a whole number"),
        };

        if (number is null)
        {
            return fallback;
        }

        return number < min || number > max
            ? throw new BuiltInToolException(string.Create(CultureInfo.InvariantCulture, $"{_tool}: '{name}' must be between {min} and {max}, not {number}"))
            : (int)number;
    }

    /// <summary>An object argument of string values (headers, say), or an empty one when absent.</summary>
    public IReadOnlyDictionary<string, string> OptionalStringMap(string name)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        switch (Value(name))
        {
            case null:
            case JsonElement { ValueKind: JsonValueKind.Null }:
                return map;
            case JsonElement { ValueKind: JsonValueKind.Object } element:
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()!
                        : throw Mistyped($"{name}.{property.Name}", "a string");
                }

                return map;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                foreach (var (key, value) in pairs)
                {
                    map[key] = value as string ?? throw Mistyped($"{name}.{key}", "a string");
                }

                return map;
            default:
                throw Mistyped(name, "an object of strings");
        }
    }

    /// <summary>The raw value of an argument, or null.</summary>
    public object? Value(string name) => _arguments.TryGetValue(name, out var value) ? value : null;

    private BuiltInToolException Mistyped(string name, string expected) => new($"{_tool}: the argument '{name}' must be {expected}");
}
