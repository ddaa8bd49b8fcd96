using System.Text.Json.Serialization;
using MeshFlow.Runs;

namespace MeshFlow.Ledger;

/// <summary>The payload of a run_end record.</summary>
public sealed record RunEndPayload
{
    /// <summary>The final status's wire name.</summary>
    [JsonPropertyName("status")] public required string Status { get; init; }

    /// <summary>The run's output.</summary>
    [JsonPropertyName("output")] public required string Output { get; init; }

    /// <summary>Why the run did not complete.</summary>
    [JsonPropertyName("error")] public RunError? Error { get; init; }
}
