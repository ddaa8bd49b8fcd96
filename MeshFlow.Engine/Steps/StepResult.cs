using MeshFlow.Agents;
using MeshFlow.Agents.Resilience;
using MeshFlow.Governance;
using MeshFlow.Runs;

namespace MeshFlow.Steps;

/// <summary>What a node's call produced, before the checks after it and the record.</summary>
/// <param name="Output">The full output.</param>
/// <param name="Tokens">Token usage (reported by the provider, or estimated).</param>
/// <param name="ToolCalls">The tool calls made, with their results.</param>
/// <param name="InputTask">The task as the node saw it, when it differs from the merged inputs.</param>
internal readonly record struct StepResult(string Output, TokenUsage Tokens, IReadOnlyList<ToolCallRecord> ToolCalls, string? InputTask)
{
    /// <summary>Commit, or the verdict of the check that refused one of the step's tool calls (which then never ran).</summary>
    public StepVerdict Verdict { get; init; }

    /// <summary>The output as it leaves the step (cleaned while it streamed), when it differs from <see cref="Output"/>'s cleaning as a whole.</summary>
    public string? Published { get; init; }

    /// <summary>Why the model's last turn ended (<c>stop</c>, <c>length</c>, <c>tool_calls</c>, <c>content_filter</c>), as the provider said.</summary>
    public string? FinishReason { get; init; }

    /// <summary>For a step with a failover list, the model that answered (null: the node's first model, or none).</summary>
    public ResolvedModel? Answered { get; init; }

    /// <summary>For a step with a failover list, every model asked and what became of it.</summary>
    public IReadOnlyList<ModelAttempt>? ModelAttempts { get; init; }

    /// <summary>For a rag step, the chunks it retrieved, in the order its output numbers them.</summary>
    public IReadOnlyList<RetrievedChunkRecord>? RetrievedChunks { get; init; }
}
