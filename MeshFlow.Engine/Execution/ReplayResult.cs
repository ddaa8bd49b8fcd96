using System.Text.Json.Serialization;

namespace MeshFlow.Execution;

/// <summary>What a replay found: the workflow still does exactly what was recorded, or where it now diverges.</summary>
public sealed record ReplayResult
{
    /// <summary>True when every recorded step was reproduced with the same node and input, and nothing else ran.</summary>
    [JsonPropertyName("identical")] public bool Identical { get; init; }

    /// <summary>The sequence number of the first record the workflow no longer reproduces.</summary>
    [JsonPropertyName("diverged_at_seq")] public long? DivergedAtSeq { get; init; }

    /// <summary>The step concerned.</summary>
    [JsonPropertyName("step_id")] public string? StepId { get; init; }

    /// <summary><c>different_node</c>, <c>different_input</c>, <c>unrecorded_step</c> or <c>missing_step</c>.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>A message for people.</summary>
    [JsonPropertyName("detail")] public string? Detail { get; init; }

    /// <summary>How many recorded steps were replayed.</summary>
    [JsonPropertyName("steps_replayed")] public int StepsReplayed { get; init; }
}
