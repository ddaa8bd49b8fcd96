using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFlow.Ledger.Canonical;

namespace MeshFlow.Ledger.Evidence;

/// <summary>
/// A record's header as a bundle carries it: written from a <see cref="LedgerRecord"/> exactly as
/// <see cref="LedgerHashing"/> hashes it, and read back into one.
/// </summary>
/// <remarks>
/// Reading is lenient: each field is read as its type allows, and verification then compares the header as given,
/// canonicalized, with the header the ledger writes for the rebuilt record. A header that differs by a single byte is a
/// hash mismatch at its sequence number, so this verifier never accepts a header other than the one it hashed.
/// <c>docs/evidence/verify_bundle.py</c> checks the field set and types alike, and the forms of values only by hashing.
/// </remarks>
internal static class EvidenceHeaders
{
    /// <summary>The header the entry hash of <paramref name="record"/> covers, as a JSON object.</summary>
    /// <remarks>
    /// A record with no hashable header (an unknown format, or format 1 with an agent DID) is written as the header it
    /// would have with its DID, carrying its real format version, so verifying the bundle names the same problem the
    /// ledger's own verification does.
    /// </remarks>
    public static JsonElement Write(LedgerRecord record)
    {
        byte[] header;
        if (LedgerHashing.HeaderProblem(record) is null)
        {
            header = LedgerHashing.Header(record);
        }
        else
        {
            var hashable = record with { FormatVersion = LedgerHashing.FormatVersionFor(record.AgentDid) };
            var node = JsonNode.Parse(LedgerHashing.Header(hashable))!.AsObject();
            node["format_version"] = record.FormatVersion;
            header = CanonicalJson.Canonicalize(node.ToJsonString());
        }

        using var document = JsonDocument.Parse(header);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Rebuilds the ledger record a bundle record stands for. <paramref name="problem"/> says why verification must
    /// report it as a hash mismatch when a field cannot be read at all, or the header is not exactly the canonical
    /// header of the rebuilt record; it is null otherwise.
    /// </summary>
    /// <remarks>The header's <c>seq</c>, <c>tenant_id</c>, <c>run_id</c>, <c>prev_hash</c> and <c>payload_hash</c> were checked by the reader.</remarks>
    public static LedgerRecord Read(EvidenceRecord source, out string? problem)
    {
        // Fields are read in the header's canonical (sorted) order, so the unreadable field named is the first one.
        var fields = new EvidenceHeaderFields(source.Header);
        var record = new LedgerRecord
        {
            AgentDid = fields.TextOrNull("agent_did"),
            AgentId = fields.TextOrNull("agent_id"),
            BlockReason = fields.TextOrNull("block_reason"),
            CostUsd = fields.Decimal("cost_usd"),
            DurationMs = fields.Integer("duration_us") / 1000.0,
            FormatVersion = fields.SmallInteger("format_version"),
            Kind = fields.Text("kind"),
            NodeId = fields.TextOrNull("node_id"),
            PayloadHash = fields.Text("payload_hash"),
            PrevHash = fields.Text("prev_hash"),
            RunId = fields.Text("run_id"),
            Seq = fields.Integer("seq"),
            SigningKeyId = fields.Text("signing_key_id"),
            StepId = fields.TextOrNull("step_id"),
            TenantId = fields.Text("tenant_id"),
            TokensEstimated = fields.TrueOrFalse("tokens_estimated"),
            TokensInput = fields.Integer("tokens_input"),
            TokensOutput = fields.Integer("tokens_output"),
            Timestamp = fields.Timestamp("ts"),
            Uncertainty = fields.DoubleOrNull("uncertainty"),
            Verdict = fields.TextOrNull("verdict"),
            EntryHash = source.EntryHash,
            Payload = source.Payload ?? string.Empty,
            Redacted = source.Redacted,
        };

        // A record the ledger has no header for (an unknown format, or format 1 with a DID) is left to the verifier,
        // which names that problem as it does for a stored record.
        problem = fields.Unreadable is { } field ? $"record {record.Seq}'s header field {field} cannot be read"
            : LedgerHashing.HeaderProblem(record) is null && !IsCanonical(source.Header, record) ? $"record {record.Seq}'s header is not in canonical form"
            : null;
        return record;
    }

    // The ledger hashes the header it writes for the record; a header written any other way ("0.180" for 0.18, an
    // extra field, a null left out) is not what this verifier hashed, so it must not verify.
    private static bool IsCanonical(JsonElement header, LedgerRecord record)
    {
        try
        {
            return CanonicalJson.Canonicalize(header).AsSpan().SequenceEqual(LedgerHashing.Header(record));
        }
        catch (FormatException)
        {
            // A number beyond the range of a double: no header the ledger writes holds one.
            return false;
        }
    }
}
