using System.Text.Json.Serialization;
using MeshFlow.Governance;

namespace MeshFlow.Ledger;

/// <summary>The payload of a run_start record.</summary>
public sealed record RunStartPayload
{
    /// <summary>The workflow's name.</summary>
    [JsonPropertyName("workflow")] public required string Workflow { get; init; }

    /// <summary>SHA-256 of the workflow's canonical definition.</summary>
    [JsonPropertyName("workflow_digest")] public required string WorkflowDigest { get; init; }

    /// <summary>The run's input.</summary>
    [JsonPropertyName("input")] public required string Input { get; init; }

    /// <summary>The policy in force.</summary>
    [JsonPropertyName("policy")] public required Policy Policy { get; init; }
}
