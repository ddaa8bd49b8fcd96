using System.Text.Json;

namespace MeshFlow.Dashboard.ApiClient;

/// <summary>One event of a run's stream (<c>GET /runs/{id}/events</c>): its sequence number, kind and JSON body.</summary>
public sealed record RunEvent(long Id, string Kind, JsonElement Data);
