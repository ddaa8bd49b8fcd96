using System.Text.Json.Serialization;
using MeshFlow.Governance;
using MeshFlow.Ledger;

namespace MeshFlow.Runtime;

/// <summary>
/// What a worker needs to execute a run, as the API puts it on the queue: the workflow's definition (validated),
/// the input, the policy in force and the caller's trace context. The run's <c>run_start</c> record is already in
/// the ledger when a request is queued.
/// </summary>
public sealed record RunRequest
{
    /// <summary>The tenant the run belongs to.</summary>
    [JsonPropertyName("tenant_id")] public required string TenantId { get; init; }

    /// <summary>The run's id.</summary>
    [JsonPropertyName("run_id")] public required string RunId { get; init; }

    /// <summary>The workflow's definition as YAML or JSON text (JSON is read as YAML).</summary>
    [JsonPropertyName("definition")] public required string Definition { get; init; }

    /// <summary>The run's input.</summary>
    [JsonPropertyName("input")] public required string Input { get; init; }

    /// <summary>The policy in force; the workflow's own when null.</summary>
    [JsonPropertyName("policy")] public Policy? Policy { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the request that started the run, so one trace spans API and worker.</summary>
    [JsonPropertyName("traceparent")] public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that goes with <see cref="TraceParent"/>.</summary>
    [JsonPropertyName("tracestate")] public string? TraceState { get; init; }

    /// <summary>When the run was queued.</summary>
    [JsonPropertyName("queued_at")] public DateTimeOffset QueuedAt { get; init; }

    /// <summary>
    /// The request that queues a submitted run again (recovery, or a decision on its pause), from its run_start
    /// record; null when the run was started by an embedded engine rather than submitted (nothing to queue it from).
    /// </summary>
    public static RunRequest? FromRecords(string tenantId, string runId, IReadOnlyList<LedgerRecord> records, DateTimeOffset queuedAt) =>
        records.Count > 0 && records[0] is { Kind: LedgerRecordKinds.RunStart, Redacted: false } first
            && LedgerPayloads.ReadRunStart(first.Payload) is { Definition: { } definition } start
            ? new RunRequest
            {
                TenantId = tenantId, RunId = runId, Definition = definition, Input = start.Input, Policy = start.Policy, QueuedAt = queuedAt,
            }
            : null;
}
