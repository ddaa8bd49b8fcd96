using System.Text.Json.Serialization;

namespace MeshFlow.Governance.Guardian;

/// <summary>Something a <see cref="BehaviourMonitor"/> noticed about an agent's latest step.</summary>
/// <param name="Signal">One of <see cref="BehaviourSignals"/>.</param>
/// <param name="Detail">
/// For people: numbers and step ids only. It never quotes an output, since outputs may hold personal or health data.
/// </param>
public sealed record BehaviourFinding(
    [property: JsonPropertyName("signal")] string Signal,
    [property: JsonPropertyName("detail")] string Detail);
