using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshFlow.Ledger.Evidence;

/// <summary>
/// A run's audit-ledger evidence as one self-describing JSON document (format <c>meshflow-evidence/1</c>): every
/// record's hashed header, entry hash and (unless withheld) payload, the signed head and the public keys, so anyone
/// can verify the run offline (<see cref="EvidenceBundles.Verify"/>, or <c>docs/evidence/verify_bundle.py</c>).
/// </summary>
/// <remarks>The format is specified field by field in <c>docs/evidence.md</c>.</remarks>
public sealed record EvidenceBundle
{
    /// <summary>Always <see cref="EvidenceBundles.Format"/> for this version.</summary>
    [JsonPropertyName("format")] public string Format { get; init; } = EvidenceBundles.Format;

    /// <summary>The tenant that owns the run.</summary>
    [JsonPropertyName("tenant_id")] public required string TenantId { get; init; }

    /// <summary>The run.</summary>
    [JsonPropertyName("run_id")] public required string RunId { get; init; }

    /// <summary>When the bundle was made (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>); informational, covered by nothing.</summary>
    [JsonPropertyName("exported_at")] public required string ExportedAt { get; init; }

    /// <summary><see cref="EvidenceBundles.PayloadsIncluded"/> or <see cref="EvidenceBundles.PayloadsHashesOnly"/>.</summary>
    [JsonPropertyName("payloads")] public required string Payloads { get; init; }

    /// <summary>The run's records, in sequence order.</summary>
    [JsonPropertyName("records")] public required IReadOnlyList<EvidenceRecord> Records { get; init; }

    /// <summary>The run's signed head, or null when it has none (a run that has not ended or paused).</summary>
    [JsonPropertyName("head")] public required EvidenceHead? Head { get; init; }

    /// <summary>Public keys by key id, each the base64 of the raw 32-byte Ed25519 public key.</summary>
    [JsonPropertyName("public_keys")] public required IReadOnlyDictionary<string, string> PublicKeys { get; init; }

    /// <summary>True when every payload that was not erased is in the bundle.</summary>
    [JsonIgnore] public bool IncludesPayloads => Payloads == EvidenceBundles.PayloadsIncluded;
}

/// <summary>One record of a bundle.</summary>
public sealed record EvidenceRecord
{
    /// <summary>
    /// Exactly the header object the entry hash covers (<see cref="LedgerHashing"/>): the SHA-256 of its canonical
    /// JSON (RFC 8785) is <see cref="EntryHash"/>.
    /// </summary>
    [JsonPropertyName("header")] public required JsonElement Header { get; init; }

    /// <summary>Lowercase hex SHA-256 of the canonical header.</summary>
    [JsonPropertyName("entry_hash")] public required string EntryHash { get; init; }

    /// <summary>
    /// The canonical payload JSON, as a string whose UTF-8 bytes hash to the header's <c>payload_hash</c>; for an erased
    /// record, its redaction notice; null in a hashes-only bundle.
    /// </summary>
    [JsonPropertyName("payload")] public required string? Payload { get; init; }

    /// <summary>True when the payload was erased: its hash stands, its content is gone.</summary>
    [JsonPropertyName("redacted")] public bool Redacted { get; init; }
}

/// <summary>The signed head of a bundle's run: the fields the signature covers, and the signature.</summary>
public sealed record EvidenceHead
{
    /// <summary>The tenant.</summary>
    [JsonPropertyName("tenant_id")] public required string TenantId { get; init; }

    /// <summary>The run.</summary>
    [JsonPropertyName("run_id")] public required string RunId { get; init; }

    /// <summary>The sequence number of the last record the head covers.</summary>
    [JsonPropertyName("seq")] public required long Seq { get; init; }

    /// <summary>That record's entry hash.</summary>
    [JsonPropertyName("entry_hash")] public required string EntryHash { get; init; }

    /// <summary>When the head was signed, exactly as the signed message writes it (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>).</summary>
    [JsonPropertyName("signed_at")] public required string SignedAt { get; init; }

    /// <summary>The signing key's id: <c>ed25519:</c> and the first 16 hex digits of the SHA-256 of its public key.</summary>
    [JsonPropertyName("key_id")] public required string KeyId { get; init; }

    /// <summary>The base64 Ed25519 signature of the head message (<see cref="LedgerHashing.HeadMessage"/>).</summary>
    [JsonPropertyName("signature")] public required string Signature { get; init; }
}
