using System.Text.Json;

namespace MeshFlow.Governance;

/// <summary>
/// Reading a stored field of parts that was once a switch (<c>guardian</c>, <c>collusion_audit</c>): <c>true</c> or
/// <c>false</c> as policies wrote it before, or an object of parts, each read with its own converter.
/// </summary>
internal static class PolicyPartsJson
{
    /// <summary>
    /// The switch a stored policy wrote (<c>true</c>, <c>false</c>), or null when the value is an object of parts.
    /// </summary>
    /// <exception cref="JsonException">The value is neither.</exception>
    public static bool? ReadSwitch(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.StartObject => null,
        var token => throw new JsonException($"'{field}' must be true, false or an object of its parts, but is {token}"),
    };

    /// <summary>Moves to the next part of the object: its name, with the reader on its value; false at the object's end.</summary>
    public static bool NextPart(ref Utf8JsonReader reader, out string part)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            part = string.Empty;
            return false;
        }

        part = reader.GetString()!;
        reader.Read();
        return true;
    }

    /// <summary>A part of <c>true</c> or <c>false</c>; null keeps <paramref name="current"/>.</summary>
    /// <exception cref="JsonException">The part is another kind of value.</exception>
    public static bool Bool(ref Utf8JsonReader reader, string name, bool current) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => current,
        var token => throw new JsonException($"'{name}' must be true or false, but is {token}"),
    };

    /// <summary>A part of another type, read by that type's converter; null keeps <paramref name="current"/>.</summary>
    public static T Value<T>(ref Utf8JsonReader reader, T current, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? current : JsonSerializer.Deserialize<T>(ref reader, options) ?? current;
}
