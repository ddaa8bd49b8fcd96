using System.Text.Json.Serialization;
using MeshFlow.Runs;
using MeshFlow.Workflows;

namespace MeshFlow.Execution;

/// <summary>How a run ended: its status, output, steps, spend and, when it did not complete, why.</summary>
public sealed record RunResult
{
    /// <summary>The run.</summary>
    [JsonPropertyName("run_id")] public required string RunId { get; init; }

    /// <summary>The workflow's name.</summary>
    [JsonPropertyName("workflow")] public required string Workflow { get; init; }

    /// <summary>The final status.</summary>
    [JsonPropertyName("status")] public RunStatus Status { get; init; }

    /// <summary>The run's output: the output nodes' outputs, merged in declaration order.</summary>
    [JsonPropertyName("output")] public required string Output { get; init; }

    /// <summary>Every node's latest output, by node id.</summary>
    [JsonPropertyName("outputs")] public required IReadOnlyDictionary<string, string> Outputs { get; init; }

    /// <summary>The steps, in the order they finished.</summary>
    [JsonPropertyName("steps")] public required IReadOnlyList<StepRecord> Steps { get; init; }

    /// <summary>Tokens used.</summary>
    [JsonPropertyName("tokens")] public TokenUsage Tokens { get; init; }

    /// <summary>Dollars spent.</summary>
    [JsonPropertyName("cost_usd")] public decimal CostUsd { get; init; }

    /// <summary>Why the run did not complete.</summary>
    [JsonPropertyName("error")] public RunError? Error { get; init; }

    /// <summary>The run's typed state at the end.</summary>
    [JsonPropertyName("state")] public required WorkflowState State { get; init; }

    /// <summary>When the run started.</summary>
    [JsonPropertyName("started_at")] public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended.</summary>
    [JsonPropertyName("ended_at")] public DateTimeOffset EndedAt { get; init; }

    /// <summary>
    /// The run's end (or pause) is committed but the ledger could not sign its head: the outcome stands, and the
    /// worker leaves the run's queue entry pending so its next delivery signs the head.
    /// </summary>
    [JsonIgnore] internal bool HeadUnsigned { get; init; }
}
