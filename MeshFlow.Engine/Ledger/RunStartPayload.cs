using System.Text.Json;
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

    /// <summary>
    /// The workflow's definition (YAML or JSON text) when the run was submitted through the API, so a run can be
    /// queued again from the ledger alone (after Redis lost it).
    /// </summary>
    [JsonPropertyName("definition")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Definition { get; init; }

    /// <summary>The caller's metadata for the run, recorded as given.</summary>
    [JsonPropertyName("metadata")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Metadata { get; init; }
}
