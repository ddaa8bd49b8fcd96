using MeshFlow.Agents.Resilience;
using System.Text.Json.Serialization;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Runs;
using MeshFlow.Workflows;

namespace MeshFlow.Execution;

/// <summary>Everything about one step of a run, as the ledger records it.</summary>
public sealed record StepRecord
{
    /// <summary>The step's position among the run's finished steps (1-based).</summary>
    [JsonPropertyName("index")] public int Index { get; init; }

    /// <summary>The step's id: <c>node:iteration</c>, stable across replays of the same workflow.</summary>
    [JsonPropertyName("step_id")] public required string StepId { get; init; }

    /// <summary>The node that ran.</summary>
    [JsonPropertyName("node_id")] public required string NodeId { get; init; }

    /// <summary>The agent, for agent nodes.</summary>
    [JsonPropertyName("agent_id")] public string? AgentId { get; init; }

    /// <summary>What kind of node ran.</summary>
    [JsonPropertyName("kind")] public NodeKind Kind { get; init; }

    /// <summary>The node's role.</summary>
    [JsonPropertyName("role")] public string? Role { get; init; }

    /// <summary>How many times the node had run, this step included.</summary>
    [JsonPropertyName("iteration")] public int Iteration { get; init; }

    /// <summary>The task the node was given (the user-side prompt for agents).</summary>
    [JsonPropertyName("input_task")] public required string InputTask { get; init; }

    /// <summary>The full output.</summary>
    [JsonPropertyName("output")] public required string Output { get; init; }

    /// <summary>Tool calls made during the step.</summary>
    [JsonPropertyName("tool_calls")] public IReadOnlyList<ToolCallRecord> ToolCalls { get; init; } = [];

    /// <summary>The step pipeline's verdict.</summary>
    [JsonPropertyName("verdict")] public Verdict Verdict { get; init; }

    /// <summary>Why the step was blocked or escalated.</summary>
    [JsonPropertyName("block_reason")] public BlockReason? BlockReason { get; init; }

    /// <summary>The blocking check's message.</summary>
    [JsonPropertyName("block_detail")] public string? BlockDetail { get; init; }

    /// <summary>The <c>did:key</c> of the agent that ran the step, for agent steps.</summary>
    [JsonPropertyName("agent_did")] public string? AgentDid { get; init; }

    /// <summary>The highest risk tier of the step's actions, and the rule that set it.</summary>
    [JsonPropertyName("risk")] public RiskFinding? Risk { get; init; }

    /// <summary>The step's uncertainty score in [0, 1], for agent steps.</summary>
    [JsonPropertyName("uncertainty")] public double? Uncertainty { get; init; }

    /// <summary>Token usage.</summary>
    [JsonPropertyName("tokens")] public TokenUsage Tokens { get; init; }

    /// <summary>Cost in US dollars.</summary>
    [JsonPropertyName("cost_usd")] public decimal CostUsd { get; init; }

    /// <summary>When the step started.</summary>
    [JsonPropertyName("started_at")] public DateTimeOffset StartedAt { get; init; }

    /// <summary>How long the step took.</summary>
    [JsonPropertyName("duration_ms")] public double DurationMs { get; init; }

    /// <summary>The model called, for agent nodes.</summary>
    [JsonPropertyName("model")] public string? Model { get; init; }

    /// <summary>True when the model was the built-in offline model.</summary>
    [JsonPropertyName("offline")] public bool Offline { get; init; }

    /// <summary>The provider kind of the model's connection (<c>anthropic</c>, <c>openai</c>), for provider models.</summary>
    [JsonPropertyName("provider")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Provider { get; init; }

    /// <summary>Why the model's last turn ended (<c>stop</c>, <c>length</c>, <c>tool_calls</c>), as its provider said.</summary>
    [JsonPropertyName("finish_reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FinishReason { get; init; }

    /// <summary>For a step with a failover list, every model asked and what became of it; null otherwise.</summary>
    [JsonPropertyName("model_attempts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ModelAttempt>? ModelAttempts { get; init; }

    /// <summary>For a rag step, the chunks it retrieved and numbered in its output; null for every other step.</summary>
    [JsonPropertyName("retrieved_chunks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RetrievedChunkRecord>? RetrievedChunks { get; init; }

    /// <summary>True when no price was known for the model, so <see cref="CostUsd"/> does not count its tokens.</summary>
    [JsonPropertyName("unpriced")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Unpriced { get; init; }
}
