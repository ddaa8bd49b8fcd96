using System.Text.Json;

namespace MeshFlow.Dashboard.ApiClient;

/// <summary>One event of a run's stream (<c>GET /runs/{id}/events</c>): its sequence number, kind and JSON body.</summary>
/// <param name="Id">The event's sequence number; null when the event carried no id, so a reader keeps its resume point.</param>
/// <param name="Kind">The event's kind, e.g. <c>step_start</c>.</param>
/// <param name="Data">The body; undefined when the data line was not JSON.</param>
public sealed record RunEvent(long? Id, string Kind, JsonElement Data)
{
    /// <summary>True when the data line was not JSON: there is nothing to apply.</summary>
    public bool IsMalformed => Data.ValueKind == JsonValueKind.Undefined;
}
