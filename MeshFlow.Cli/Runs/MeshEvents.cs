using System.Text.Json;
using MeshFlow.Events;

namespace MeshFlow.Cli.Runs;

/// <summary>Reads an event in the one MeshEvent JSON shape, wherever it came from.</summary>
internal static class MeshEvents
{
    /// <summary>The event, or null for one this CLI does not know (a newer server's kind), which is skipped.</summary>
    public static MeshEvent? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<MeshEvent>(json);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
