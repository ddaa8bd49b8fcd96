namespace MeshFlow.Ledger;

/// <summary>The signed head of a run's chain: its last sequence number and hash when the run ended or paused.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="RunId">The run.</param>
/// <param name="Seq">The last record's sequence number.</param>
/// <param name="EntryHash">The last record's entry hash.</param>
/// <param name="SignedAt">When the head was signed (whole milliseconds, UTC).</param>
/// <param name="KeyId">The signing key's id.</param>
/// <param name="Signature">The Ed25519 signature (base64) of the head message (canonical JSON of tenant, run, seq, hash, time and key id).</param>
public sealed record LedgerHead(string TenantId, string RunId, long Seq, string EntryHash, DateTimeOffset SignedAt, string KeyId, string Signature);
