using System.Text.Json.Serialization;

namespace MeshFlow.Ledger;

/// <summary>The answer of a chain verification: valid, or the first bad sequence number and why.</summary>
public sealed record LedgerVerification
{
    /// <summary>True when every record, link and the signed head check out.</summary>
    [JsonPropertyName("valid")] public bool Valid { get; init; }

    /// <summary>How many records were checked.</summary>
    [JsonPropertyName("records")] public int Records { get; init; }

    /// <summary>The first bad sequence number, when the chain is not valid.</summary>
    [JsonPropertyName("first_bad_seq")] public long? FirstBadSeq { get; init; }

    /// <summary>Why the chain is not valid: a <see cref="LedgerVerificationReasons"/> value.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>A message for people.</summary>
    [JsonPropertyName("detail")] public string? Detail { get; init; }

    /// <summary>The records whose payloads were lawfully erased (their hashes still verify).</summary>
    [JsonPropertyName("redacted")] public IReadOnlyList<long> Redacted { get; init; } = [];

    /// <summary>True when a signed head covers the chain.</summary>
    [JsonPropertyName("head_signed")] public bool HeadSigned { get; init; }
}
