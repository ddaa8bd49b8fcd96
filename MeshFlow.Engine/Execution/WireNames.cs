using System.Text.Json;

namespace MeshFlow.Execution;

/// <summary>The wire names of MeshFlow's enums (<c>commit</c>, <c>circuit_breaker</c>, <c>completed</c>...).</summary>
internal static class WireNames
{
    public static string Of<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value).Trim('"');

    public static T Parse<T>(string name) where T : struct, Enum => JsonSerializer.Deserialize<T>($"\"{name}\"");
}
