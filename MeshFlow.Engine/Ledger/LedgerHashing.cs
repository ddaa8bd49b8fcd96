using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MeshFlow.Ledger;

/// <summary>
/// What the chain's hashes cover, written down in one place: the genesis hash, the payload hash, the entry hash of
/// a record header and the message a head signature signs. All inputs are canonical JSON (RFC 8785).
/// </summary>
/// <remarks>
/// <para>The header of a format 1 record is the JSON object of: <c>agent_id</c>, <c>block_reason</c>, <c>cost_usd</c> (a decimal
/// string, no trailing zeros), <c>duration_us</c> (whole microseconds), <c>format_version</c>, <c>kind</c>, <c>node_id</c>,
/// <c>payload_hash</c>, <c>prev_hash</c>, <c>run_id</c>, <c>seq</c>, <c>signing_key_id</c>, <c>step_id</c>,
/// <c>tenant_id</c>, <c>tokens_estimated</c>, <c>tokens_input</c>, <c>tokens_output</c>, <c>ts</c> (ISO 8601 UTC
/// with milliseconds), <c>uncertainty</c> (the shortest round-trip decimal string) and <c>verdict</c>; absent
/// values are <c>null</c>. The header holds no floating-point numbers, so no two number formatters can disagree.
/// <c>entry_hash</c> = lowercase hex SHA-256 of its canonical form.</para>
/// <para><b>Format versions.</b> A record that names the DID of the agent that produced it (<c>agent_did</c>) is
/// written as format <see cref="AgentDidFormatVersion"/> (2): its header is format 1's with one more key,
/// <c>agent_did</c>, in its sorted place (before <c>agent_id</c>), so the DID is covered by the entry hash. A record
/// without a DID is written as format <see cref="FormatVersion"/> (1), with exactly format 1's header, so every record
/// written before format 2 existed keeps its hash. A format 1 record that carries a DID, or a record of any other
/// format, has no header these rules can hash: <see cref="EntryHash"/> refuses it and verification reports it as a hash
/// mismatch (an uncovered DID could be changed unnoticed; an unknown format's header is unknown).</para>
/// <para><c>payload_hash</c> = lowercase hex SHA-256 of the canonical payload's UTF-8 bytes.</para>
/// <para>The genesis hash of a run = lowercase hex SHA-256 of <c>meshflow-ledger-genesis/v1</c>, the tenant id and
/// the run id, each followed by a newline.</para>
/// </remarks>
public static class LedgerHashing
{
    /// <summary>The first record format, whose header has no <c>agent_did</c>: records without an agent DID are written in it.</summary>
    public const int FormatVersion = 1;

    /// <summary>The record format whose header also holds <c>agent_did</c>: records with an agent DID are written in it.</summary>
    public const int AgentDidFormatVersion = 2;

    /// <summary>The format a record is written in: <see cref="AgentDidFormatVersion"/> when it names its agent's DID, else <see cref="FormatVersion"/>.</summary>
    public static int FormatVersionFor(string? agentDid) => agentDid is null ? FormatVersion : AgentDidFormatVersion;

    private const string GenesisConstant = "meshflow-ledger-genesis/v1";

    /// <summary>The prev_hash of a run's first record.</summary>
    public static string Genesis(string tenantId, string runId)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(runId);
        return Hex(SHA256.HashData(Encoding.UTF8.GetBytes($"{GenesisConstant}\n{tenantId}\n{runId}\n")));
    }

    /// <summary>The hash of a canonical payload.</summary>
    public static string PayloadHash(string canonicalPayload)
    {
        ArgumentNullException.ThrowIfNull(canonicalPayload);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashPayload(canonicalPayload, hash);
        return Hex(hash);
    }

    /// <summary>The entry hash of a record: the hash of its canonical header.</summary>
    /// <exception cref="ArgumentException">The record's header cannot be hashed (<see cref="HeaderProblem"/>).</exception>
    public static string EntryHash(LedgerRecord record)
    {
        ThrowIfUnhashable(record);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashHeader(record, hash);
        return Hex(hash);
    }

    // Verification's hot path: recompute a hash and compare it with the stored hex without building strings.
    internal static bool EntryHashMatches(LedgerRecord record)
    {
        if (HeaderProblem(record) is not null)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashHeader(record, hash);
        return HexEquals(hash, record.EntryHash);
    }

    internal static bool PayloadHashMatches(LedgerRecord record)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashPayload(record.Payload, hash);
        return HexEquals(hash, record.PayloadHash);
    }

    // The stack buffer is written before it is read: no need to zero it first.
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private static void HashPayload(string payload, Span<byte> hash)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(payload.Length);
        if (maxBytes <= StackPayloadLimit)
        {
            Span<byte> utf8 = stackalloc byte[maxBytes];
            Sha256.Hash(utf8[..Encoding.UTF8.GetBytes(payload, utf8)], hash);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            Sha256.Hash(rented.AsSpan(0, Encoding.UTF8.GetBytes(payload, rented)), hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void HashHeader(LedgerRecord record, Span<byte> hash)
    {
        var buffer = _headerBuffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        WriteHeader(record, buffer);
        Sha256.Hash(buffer.WrittenSpan, hash);
    }

    // Payloads whose UTF-8 form surely fits are encoded on the stack (most step records are a few hundred bytes).
    private const int StackPayloadLimit = 4096;

    private static bool HexEquals(ReadOnlySpan<byte> hash, string hex)
    {
        Span<byte> stored = stackalloc byte[SHA256.HashSizeInBytes];
        return hex.Length == SHA256.HashSizeInBytes * 2
            && Convert.FromHexString(hex, stored, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == stored.Length
            && hash.SequenceEqual(stored)
            && !ContainsUpper(hex);
    }

    // Hashes are written in lowercase hex; an uppercase digit is a change to the stored record.
    private static bool ContainsUpper(string hex) => hex.AsSpan().IndexOfAnyInRange('A', 'F') >= 0;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _headerBuffer;

    /// <summary>The canonical header of a record, as UTF-8 JSON.</summary>
    /// <exception cref="ArgumentException">The record's header cannot be hashed (<see cref="HeaderProblem"/>).</exception>
    public static byte[] Header(LedgerRecord record)
    {
        ThrowIfUnhashable(record);
        var buffer = new ArrayBufferWriter<byte>(512);
        WriteHeader(record, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Why a record has no header these rules can hash (an unknown format version, or a format 1 record that carries an
    /// agent DID its header would not cover), or null when it has one.
    /// </summary>
    public static string? HeaderProblem(LedgerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.FormatVersion switch
        {
            FormatVersion when record.AgentDid is not null => $"record {record.Seq} is format {FormatVersion} but carries an agent_did its header does not cover",
            FormatVersion or AgentDidFormatVersion => null,
            _ => $"record {record.Seq} has format version {record.FormatVersion}, which has no known header",
        };
    }

    private static void ThrowIfUnhashable(LedgerRecord record)
    {
        if (HeaderProblem(record) is { } problem)
        {
            throw new ArgumentException(problem, nameof(record));
        }
    }

    /// <summary>The message a head signature signs: the canonical JSON of the head without its signature.</summary>
    public static byte[] HeadMessage(LedgerHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new JcsWriter(buffer).StartObject();
        writer.Property("entry_hash"u8).String(head.EntryHash);
        writer.Property("key_id"u8).String(head.KeyId);
        writer.Property("run_id"u8).String(head.RunId);
        writer.Property("seq"u8).Number(head.Seq);
        writer.Property("signed_at"u8).Timestamp(head.SignedAt);
        writer.Property("tenant_id"u8).String(head.TenantId);
        writer.EndObject();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A timestamp as the ledger keeps it: UTC, whole milliseconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset timestamp) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timestamp.ToUnixTimeMilliseconds());

    private static void WriteHeader(LedgerRecord record, IBufferWriter<byte> output)
    {
        // Keys in RFC 8785 order (UTF-16 code units); every key is plain ASCII, so this is ordinal order and each key
        // is written as its bytes.
        var writer = new JcsWriter(output).StartObject();
        if (record.FormatVersion == AgentDidFormatVersion)
        {
            writer.Property("agent_did"u8).String(record.AgentDid);
        }

        writer.Property("agent_id"u8).String(record.AgentId);
        writer.Property("block_reason"u8).String(record.BlockReason);
        writer.Property("cost_usd"u8).Decimal(record.CostUsd);
        writer.Property("duration_us"u8).Number(DurationMicroseconds(record.DurationMs));
        writer.Property("format_version"u8).Number(record.FormatVersion);
        writer.Property("kind"u8).String(record.Kind);
        writer.Property("node_id"u8).String(record.NodeId);
        writer.Property("payload_hash"u8).String(record.PayloadHash);
        writer.Property("prev_hash"u8).String(record.PrevHash);
        writer.Property("run_id"u8).String(record.RunId);
        writer.Property("seq"u8).Number(record.Seq);
        writer.Property("signing_key_id"u8).String(record.SigningKeyId);
        writer.Property("step_id"u8).String(record.StepId);
        writer.Property("tenant_id"u8).String(record.TenantId);
        writer.Property("tokens_estimated"u8).Boolean(record.TokensEstimated);
        writer.Property("tokens_input"u8).Number(record.TokensInput);
        writer.Property("tokens_output"u8).Number(record.TokensOutput);
        writer.Property("ts"u8).Timestamp(record.Timestamp);
        writer.Property("uncertainty"u8).String(record.Uncertainty?.ToString("R", CultureInfo.InvariantCulture));
        writer.Property("verdict"u8).String(record.Verdict);
        writer.EndObject();
    }

    /// <summary>A duration as the header writes it: whole microseconds.</summary>
    public static long DurationMicroseconds(double milliseconds) => (long)Math.Round(milliseconds * 1000, MidpointRounding.AwayFromZero);

    private static string Hex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);
}
