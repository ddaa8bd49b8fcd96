namespace MeshFlow.Ledger;

/// <summary>
/// One record of a run's hash chain, as stored. Every field but <see cref="Payload"/>, <see cref="EntryHash"/>
/// and <see cref="Redacted"/> is part of the header that <see cref="EntryHash"/> covers
/// (<c>LedgerHashing.EntryHash</c>), <see cref="AgentDid"/> from format 2 on; the payload is covered through
/// <see cref="PayloadHash"/>.
/// </summary>
public sealed record LedgerRecord
{
    /// <summary>
    /// The record format: 1, or 2 for a record that names its agent's DID (<see cref="AgentDid"/>); hashing rules are
    /// versioned with it (<c>LedgerHashing</c>).
    /// </summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>The tenant that owns the run.</summary>
    public required string TenantId { get; init; }

    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The record's position in the run's chain, from 1, without gaps.</summary>
    public required long Seq { get; init; }

    /// <summary>The previous record's <see cref="EntryHash"/>; for the first record, a genesis hash derived from a constant, the tenant and the run.</summary>
    public required string PrevHash { get; init; }

    /// <summary>When the record was made, in whole milliseconds (UTC), so every store keeps it exactly.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>A <see cref="LedgerRecordKinds"/> value.</summary>
    public required string Kind { get; init; }

    /// <summary>The node, for step records.</summary>
    public string? NodeId { get; init; }

    /// <summary>The agent's name, for agent steps.</summary>
    public string? AgentId { get; init; }

    /// <summary>The <c>did:key</c> identity of the agent that produced the record; only format 2 records carry one.</summary>
    public string? AgentDid { get; init; }

    /// <summary>The step (<c>node:iteration</c>), for step records.</summary>
    public string? StepId { get; init; }

    /// <summary>The step pipeline's verdict (<c>commit</c>, <c>blocked</c>, <c>escalate</c>), for step records.</summary>
    public string? Verdict { get; init; }

    /// <summary>Why a step was blocked or escalated.</summary>
    public string? BlockReason { get; init; }

    /// <summary>Input tokens.</summary>
    public long TokensInput { get; init; }

    /// <summary>Output tokens.</summary>
    public long TokensOutput { get; init; }

    /// <summary>True when the tokens were counted with a tokenizer rather than reported by the provider.</summary>
    public bool TokensEstimated { get; init; }

    /// <summary>Cost in US dollars.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>Duration in milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>An uncertainty score in [0, 1], when one was computed.</summary>
    public double? Uncertainty { get; init; }

    /// <summary>The id of the key the run's head is signed with.</summary>
    public required string SigningKeyId { get; init; }

    /// <summary>SHA-256 (hex) of the canonical payload; kept when the payload is erased.</summary>
    public required string PayloadHash { get; init; }

    /// <summary>SHA-256 (hex) of the canonical header.</summary>
    public required string EntryHash { get; init; }

    /// <summary>The payload as canonical JSON (RFC 8785), or a redaction notice once erased.</summary>
    public required string Payload { get; init; }

    /// <summary>True once the payload has been erased: its hash stands, its content is gone.</summary>
    public bool Redacted { get; init; }
}
