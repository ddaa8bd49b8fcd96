using MeshFlow.Runs;

namespace MeshFlow.Ledger;

/// <summary>What a caller asks the ledger to record; the ledger adds the chain fields (seq, hashes, key, time).</summary>
public sealed record LedgerEntry
{
    /// <summary>A <see cref="LedgerRecordKinds"/> value.</summary>
    public required string Kind { get; init; }

    /// <summary>The payload as canonical JSON (see <see cref="LedgerPayloads"/>).</summary>
    public required string Payload { get; init; }

    /// <summary>The node, for steps.</summary>
    public string? NodeId { get; init; }

    /// <summary>The agent's name, for agent steps.</summary>
    public string? AgentId { get; init; }

    /// <summary>The <c>did:key</c> identity of the agent, when it has one: the record is then written as format 2, whose hash covers it.</summary>
    public string? AgentDid { get; init; }

    /// <summary>The step id, for steps.</summary>
    public string? StepId { get; init; }

    /// <summary>The verdict's wire name, for steps.</summary>
    public string? Verdict { get; init; }

    /// <summary>The block reason's wire name, for blocked or escalated steps.</summary>
    public string? BlockReason { get; init; }

    /// <summary>Token usage.</summary>
    public TokenUsage Tokens { get; init; }

    /// <summary>Cost in US dollars.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Duration in milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>An uncertainty score, when one was computed.</summary>
    public double? Uncertainty { get; init; }
}
