using MeshFlow.Agents.Resilience;
using System.Text.Json;
using System.Text.Json.Serialization;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Governance.Uncertainty;
using MeshFlow.Runs;

namespace MeshFlow.Ledger;

/// <summary>The payload of a step record: what the step was asked, what it answered, the tools it called.</summary>
public sealed record StepPayload
{
    /// <summary>The step id (<c>node:iteration</c>).</summary>
    [JsonPropertyName("step_id")] public required string StepId { get; init; }

    /// <summary>The node's iteration.</summary>
    [JsonPropertyName("iteration")] public int Iteration { get; init; }

    /// <summary>The task the node was given.</summary>
    [JsonPropertyName("input_task")] public required string InputTask { get; init; }

    /// <summary>The output as recorded: in full unless the policy's MaxOutputChars truncated it.</summary>
    [JsonPropertyName("output")] public required string Output { get; init; }

    /// <summary>True when the recorded output was truncated by policy.</summary>
    [JsonPropertyName("output_truncated")] public bool OutputTruncated { get; init; }

    /// <summary>The length of the output as produced, in characters.</summary>
    [JsonPropertyName("output_chars")] public int OutputChars { get; init; }

    /// <summary>Tool calls made during the step.</summary>
    [JsonPropertyName("tool_calls")] public IReadOnlyList<ToolCallRecord> ToolCalls { get; init; } = [];

    /// <summary>The model, for agent steps.</summary>
    [JsonPropertyName("model")] public string? Model { get; init; }

    /// <summary>True when the model was the built-in offline model.</summary>
    [JsonPropertyName("offline")] public bool Offline { get; init; }

    /// <summary>The provider kind of the model's connection, for provider models.</summary>
    [JsonPropertyName("provider")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Provider { get; init; }

    /// <summary>Of the input tokens (in the record's header), those the provider read from its prompt cache.</summary>
    [JsonPropertyName("cached_input_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long CachedInputTokens { get; init; }

    /// <summary>Why the model's last turn ended (<c>stop</c>, <c>length</c>, <c>tool_calls</c>), as its provider said.</summary>
    [JsonPropertyName("finish_reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FinishReason { get; init; }

    /// <summary>For a step with a failover list: every model asked, which answered, and why the others did not.</summary>
    [JsonPropertyName("model_attempts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ModelAttempt>? ModelAttempts { get; init; }

    /// <summary>True when the model had no price: the record's cost does not count its tokens.</summary>
    [JsonPropertyName("unpriced")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Unpriced { get; init; }

    /// <summary>The blocking check's message.</summary>
    [JsonPropertyName("block_detail")] public string? BlockDetail { get; init; }

    /// <summary>The highest risk tier of the step's actions, the rule that set it and why.</summary>
    [JsonPropertyName("risk")] public RiskFinding? Risk { get; init; }

    /// <summary>Where the uncertainty score (in the record's header) came from, and what raised it.</summary>
    [JsonPropertyName("uncertainty")] public UncertaintyFinding? Uncertainty { get; init; }

    /// <summary>
    /// For an escalated step, where in the step it escalated (<c>before_step</c>, <c>tool_call</c>, <c>after_step</c>,
    /// <c>human</c>), which decides what its approval does; absent on every other step.
    /// </summary>
    [JsonPropertyName("hitl_stage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HitlStage { get; init; }

    /// <summary>What the guardian found in the step (signal, where, what was done); absent when it found nothing.</summary>
    [JsonPropertyName("guardian")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<GuardianFinding>? Guardian { get; init; }

    /// <summary>
    /// For a rag step, the chunks it retrieved and numbered in its output (chunk id, document, source, position, score);
    /// absent on every other step, so their payloads, and hashes, are as before.
    /// </summary>
    [JsonPropertyName("retrieved_chunks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RetrievedChunkRecord>? RetrievedChunks { get; init; }

    /// <summary>The run's typed state after the step, when it holds anything.</summary>
    [JsonPropertyName("state")] public JsonElement? State { get; init; }
}
