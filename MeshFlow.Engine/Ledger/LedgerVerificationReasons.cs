namespace MeshFlow.Ledger;

/// <summary>Why a chain fails verification.</summary>
public static class LedgerVerificationReasons
{
    /// <summary>The run has no records.</summary>
    public const string Empty = "empty";

    /// <summary>A record's entry hash is not the hash of its header.</summary>
    public const string HashMismatch = "hash_mismatch";

    /// <summary>A record's prev_hash is not the previous record's entry hash (or the genesis hash).</summary>
    public const string BrokenLink = "broken_link";

    /// <summary>A sequence number is missing.</summary>
    public const string Gap = "gap";

    /// <summary>A sequence number appears twice.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>A record's payload does not hash to its payload_hash.</summary>
    public const string PayloadMismatch = "payload_mismatch";

    /// <summary>A record belongs to another tenant or run than the chain.</summary>
    public const string WrongRun = "wrong_run";

    /// <summary>The run ended but its head is not signed.</summary>
    public const string MissingHeadSignature = "missing_head_signature";

    /// <summary>The head's signature does not verify, or its key is unknown.</summary>
    public const string BadHeadSignature = "bad_head_signature";

    /// <summary>The head does not match the record it names.</summary>
    public const string HeadMismatch = "head_mismatch";

    /// <summary>Records the signed head covered are gone: the tail was cut off.</summary>
    public const string TruncatedTail = "truncated_tail";

    /// <summary>The run ended after its last signed head, and the records after it are unsigned.</summary>
    public const string UnsignedTail = "unsigned_tail";
}
