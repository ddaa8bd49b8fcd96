using System.Globalization;
using System.Text.Json.Serialization;

namespace MeshFlow.Ledger.Evidence;

/// <summary>
/// The answer of verifying an evidence bundle: the ledger's own verification (<see cref="LedgerVerification"/>) and
/// what it rested on: whether payloads were in the bundle to check, and whose public keys the head was checked against.
/// </summary>
public sealed record EvidenceVerification
{
    /// <summary>True when every record, link and the signed head check out.</summary>
    [JsonPropertyName("valid")] public bool Valid { get; init; }

    /// <summary>How many records were checked.</summary>
    [JsonPropertyName("records")] public int Records { get; init; }

    /// <summary>The first bad sequence number, when the bundle is not valid.</summary>
    [JsonPropertyName("first_bad_seq")] public long? FirstBadSeq { get; init; }

    /// <summary>Why the bundle is not valid: a <see cref="LedgerVerificationReasons"/> value.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>A message for people.</summary>
    [JsonPropertyName("detail")] public string? Detail { get; init; }

    /// <summary>The records whose payloads were lawfully erased (their hashes still verify).</summary>
    [JsonPropertyName("redacted")] public IReadOnlyList<long> Redacted { get; init; } = [];

    /// <summary>True when a signed head covers the chain.</summary>
    [JsonPropertyName("head_signed")] public bool HeadSigned { get; init; }

    /// <summary>
    /// False for a hashes-only bundle: the records' payload hashes were taken as given, so the chain proves the
    /// headers, not the contents.
    /// </summary>
    [JsonPropertyName("payloads_checked")] public bool PayloadsChecked { get; init; }

    /// <summary>
    /// True when the head was checked against the public keys in the bundle itself, because no trusted key was given.
    /// Whoever made the file could have replaced them (and re-signed a forged chain), so only a key obtained from the
    /// service (pinned) proves the run is the service's.
    /// </summary>
    [JsonPropertyName("keys_from_bundle")] public bool KeysFromBundle { get; init; }

    /// <summary>The sequence number the signed head covers, when there is one.</summary>
    [JsonPropertyName("head_seq")] public long? HeadSeq { get; init; }

    /// <summary>The id of the key the head is signed with, when there is a head.</summary>
    [JsonPropertyName("key_id")] public string? KeyId { get; init; }

    /// <summary>
    /// One line for people, the same line <c>verify_bundle.py</c> prints: <c>valid: 8 records (…)</c>, or
    /// <c>invalid: record 3: payload_mismatch (…)</c>.
    /// </summary>
    [JsonIgnore]
    public string Summary
    {
        get
        {
            if (!Valid)
            {
                return FirstBadSeq is { } seq
                    ? string.Create(CultureInfo.InvariantCulture, $"invalid: record {seq}: {Reason} ({Detail})")
                    : $"invalid: {Reason} ({Detail})";
            }

            var parts = new List<string>();
            if (HeadSigned)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"head signed at seq {HeadSeq} by {KeyId}, ")
                    + (KeysFromBundle ? "key from the bundle, not pinned" : "pinned key"));
                if (HeadSeq < Records)
                {
                    parts.Add(string.Create(CultureInfo.InvariantCulture, $"records after seq {HeadSeq} not yet signed"));
                }
            }
            else
            {
                parts.Add("no signed head: the run has not ended");
            }

            parts.Add(PayloadsChecked ? "payloads checked" : "payloads not included, not checked");
            if (Redacted.Count > 0)
            {
                parts.Add("redacted: " + string.Join(", ", Redacted.Select(s => s.ToString(CultureInfo.InvariantCulture))));
            }

            return string.Create(CultureInfo.InvariantCulture, $"valid: {Records} record{(Records == 1 ? "" : "s")} ({string.Join("; ", parts)})");
        }
    }
}
