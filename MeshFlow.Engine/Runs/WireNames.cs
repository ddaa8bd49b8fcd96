using System.Text.Json;

namespace MeshFlow.Runs;

/// <summary>The wire names of MeshFlow's enums (<c>commit</c>, <c>circuit_breaker</c>, <c>completed</c>...).</summary>
public static class WireNames
{
    /// <summary>The wire name of a value, such as <c>completed</c>.</summary>
    public static string Of<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value).Trim('"');

    /// <summary>The value a wire name names.</summary>
    /// <exception cref="JsonException">The name is not one of <typeparamref name="T"/>'s wire names.</exception>
    public static T Parse<T>(string name) where T : struct, Enum => JsonSerializer.Deserialize<T>($"\"{name}\"");
}
