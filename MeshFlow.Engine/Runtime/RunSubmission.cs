using System.Text.Json;
using MeshFlow.Governance;
using MeshFlow.Workflows;

namespace MeshFlow.Runtime;

/// <summary>A run to start, as the API validated it.</summary>
public sealed record RunSubmission
{
    /// <summary>The tenant the run belongs to (decided by the caller's key).</summary>
    public required string TenantId { get; init; }

    /// <summary>The validated workflow.</summary>
    public required Workflow Workflow { get; init; }

    /// <summary>The workflow's definition as submitted (YAML or JSON text): what the worker loads.</summary>
    public required string Definition { get; init; }

    /// <summary>The run's input.</summary>
    public required string Input { get; init; }

    /// <summary>The policy in force; the workflow's own when null.</summary>
    public Policy? Policy { get; init; }

    /// <summary>The caller's metadata, recorded in the run's <c>run_start</c>.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>
    /// Makes the submission safe to retry: the same key (for the same tenant) always names the same run, and a
    /// retry answers the run the first attempt started.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
