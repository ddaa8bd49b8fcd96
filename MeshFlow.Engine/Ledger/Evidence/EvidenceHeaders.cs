using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshFlow.Ledger.Canonical;

namespace MeshFlow.Ledger.Evidence;

/// <summary>
/// A record's header as a bundle carries it: written from a <see cref="LedgerRecord"/> exactly as
/// <see cref="LedgerHashing"/> hashes it, and read back into one, refusing any header that is not exactly the canonical
/// header of the record rebuilt from it (so a verifier that hashes the header as given, like
/// <c>docs/evidence/verify_bundle.py</c>, never disagrees with one that rebuilds the record).
/// </summary>
/// <remarks>The rules are those of <c>docs/evidence.md</c> ("The header"), in the order it gives them.</remarks>
internal static partial class EvidenceHeaders
{
    /// <summary>The keys of a format 1 header, in canonical (sorted) order.</summary>
    private static readonly string[] Format1Keys =
    [
        "agent_id", "block_reason", "cost_usd", "duration_us", "format_version", "kind", "node_id", "payload_hash", "prev_hash", "run_id",
        "seq", "signing_key_id", "step_id", "tenant_id", "tokens_estimated", "tokens_input", "tokens_output", "ts", "uncertainty", "verdict",
    ];

    /// <summary>The keys of a format 2 header: format 1's and <c>agent_did</c>, first in sorted order.</summary>
    private static readonly string[] Format2Keys = ["agent_did", .. Format1Keys];

    /// <summary>Integers a header holds (seq, tokens) are safe JSON integers: every JSON reader keeps them exactly.</summary>
    private const long MaxSafeInteger = (1L << 53) - 1;

    /// <summary>
    /// Durations are kept as float milliseconds (<see cref="LedgerRecord.DurationMs"/>); whole microseconds up to
    /// 2^50 survive the trip exactly.
    /// </summary>
    private const long MaxDurationMicroseconds = 1L << 50;

    /// <summary>The largest <see cref="decimal"/> mantissa (2^96 - 1).</summary>
    private static readonly BigInteger MaxDecimalMantissa = BigInteger.Parse("79228162514264337593543950335", CultureInfo.InvariantCulture);

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
    /// Rebuilds the ledger record a bundle record stands for. When its header is not exactly the canonical header of
    /// the rebuilt record, <paramref name="problem"/> says why (and the record holds only the fields that place it in
    /// its chain): verification reports it as a hash mismatch.
    /// </summary>
    /// <remarks>The header's <c>seq</c>, <c>tenant_id</c>, <c>run_id</c>, <c>prev_hash</c> and <c>payload_hash</c> were checked by the reader.</remarks>
    public static LedgerRecord Read(EvidenceRecord source, out string? problem)
    {
        var header = source.Header;
        var seq = header.GetProperty("seq").GetInt64();
        problem = Problem(header, seq);
        if (problem is null)
        {
            var record = Rebuild(header, source);
            if (!LedgerHashing.Header(record).AsSpan().SequenceEqual(CanonicalJson.Canonicalize(header)))
            {
                // The rules above make this impossible; kept so that no header can ever verify unless it is exactly canonical.
                problem = $"record {seq}'s header is not the canonical header of its fields";
            }
            else
            {
                return record;
            }
        }

        return new LedgerRecord
        {
            TenantId = header.GetProperty("tenant_id").GetString()!,
            RunId = header.GetProperty("run_id").GetString()!,
            Seq = seq,
            PrevHash = header.GetProperty("prev_hash").GetString()!,
            PayloadHash = header.GetProperty("payload_hash").GetString()!,
            Timestamp = DateTimeOffset.UnixEpoch,
            Kind = header.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString()! : string.Empty,
            SigningKeyId = string.Empty,
            EntryHash = source.EntryHash,
            Payload = source.Payload ?? string.Empty,
            Redacted = source.Redacted,
        };
    }

    /// <summary>Why a header is not the canonical header of a record (the first rule it breaks), or null.</summary>
    internal static string? Problem(JsonElement header, long seq)
    {
        if (!header.TryGetProperty("format_version", out var versionValue) || !TryGetInteger(versionValue, out var version))
        {
            return $"record {seq}'s header has no integer format_version";
        }

        if (version is not (LedgerHashing.FormatVersion or LedgerHashing.AgentDidFormatVersion))
        {
            return $"record {seq} has format version {version}, which has no known header";
        }

        if (version == LedgerHashing.FormatVersion && header.TryGetProperty("agent_did", out _))
        {
            return $"record {seq} is format {LedgerHashing.FormatVersion} but carries an agent_did its header does not cover";
        }

        var keys = version == LedgerHashing.FormatVersion ? Format1Keys : Format2Keys;
        foreach (var key in keys)
        {
            if (!header.TryGetProperty(key, out _))
            {
                return $"record {seq}'s header lacks {key}";
            }
        }

        foreach (var property in header.EnumerateObject())
        {
            if (Array.IndexOf(keys, property.Name) < 0)
            {
                return $"record {seq}'s header has an unexpected field '{property.Name}'";
            }
        }

        foreach (var key in keys)
        {
            if (FieldRule(key, header.GetProperty(key)) is { } expected)
            {
                return $"record {seq}'s header field {key} is not {expected}";
            }
        }

        return null;
    }

    // What a field must be, when it is not that.
    private static string? FieldRule(string key, JsonElement value) => key switch
    {
        "agent_did" or "agent_id" or "block_reason" or "node_id" or "step_id" or "verdict" =>
            value.ValueKind is JsonValueKind.String or JsonValueKind.Null ? null : "a string or null",
        "kind" or "payload_hash" or "prev_hash" or "run_id" or "signing_key_id" or "tenant_id" =>
            value.ValueKind == JsonValueKind.String ? null : "a string",
        "cost_usd" => value.ValueKind == JsonValueKind.String && IsCanonicalDecimal(value.GetString()!) ? null : "a decimal string in canonical form",
        "duration_us" => TryGetInteger(value, out var us) && us is >= -MaxDurationMicroseconds and <= MaxDurationMicroseconds ? null : "an integer from -2^50 to 2^50",
        "format_version" => null,
        "seq" or "tokens_input" or "tokens_output" =>
            TryGetInteger(value, out var n) && n is >= -MaxSafeInteger and <= MaxSafeInteger ? null : "an integer from -(2^53-1) to 2^53-1",
        "tokens_estimated" => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "true or false",
        "ts" => value.ValueKind == JsonValueKind.String && TryParseTimestamp(value.GetString()!, out _) ? null : "a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffZ",
        "uncertainty" => value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && IsRoundTripDouble(value.GetString()!))
            ? null : "null or a number string in .NET round-trip form",
        _ => throw new InvalidOperationException($"no rule for header field {key}"),
    };

    private static LedgerRecord Rebuild(JsonElement header, EvidenceRecord source)
    {
        static string? Text(JsonElement header, string key) => header.GetProperty(key).GetString();
        _ = TryParseTimestamp(Text(header, "ts")!, out var timestamp);
        var version = (int)header.GetProperty("format_version").GetInt64();
        return new LedgerRecord
        {
            FormatVersion = version,
            TenantId = Text(header, "tenant_id")!,
            RunId = Text(header, "run_id")!,
            Seq = header.GetProperty("seq").GetInt64(),
            PrevHash = Text(header, "prev_hash")!,
            Timestamp = timestamp,
            Kind = Text(header, "kind")!,
            NodeId = Text(header, "node_id"),
            AgentId = Text(header, "agent_id"),
            AgentDid = version == LedgerHashing.AgentDidFormatVersion ? Text(header, "agent_did") : null,
            StepId = Text(header, "step_id"),
            Verdict = Text(header, "verdict"),
            BlockReason = Text(header, "block_reason"),
            TokensInput = header.GetProperty("tokens_input").GetInt64(),
            TokensOutput = header.GetProperty("tokens_output").GetInt64(),
            TokensEstimated = header.GetProperty("tokens_estimated").GetBoolean(),
            CostUsd = decimal.Parse(Text(header, "cost_usd")!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
            DurationMs = header.GetProperty("duration_us").GetInt64() / 1000.0,
            Uncertainty = Text(header, "uncertainty") is { } uncertainty ? double.Parse(uncertainty, NumberStyles.Float, CultureInfo.InvariantCulture) : null,
            SigningKeyId = Text(header, "signing_key_id")!,
            PayloadHash = Text(header, "payload_hash")!,
            EntryHash = source.EntryHash,
            Payload = source.Payload ?? string.Empty,
            Redacted = source.Redacted,
        };
    }

    /// <summary>A JSON integer (no fraction, no exponent) that fits a 64-bit signed integer.</summary>
    internal static bool TryGetInteger(JsonElement value, out long integer)
    {
        integer = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out integer);
    }

    /// <summary>
    /// A decimal as the header writes it: optional minus, no leading zeros, no trailing fractional zeros, never
    /// <c>-0</c>, at most 28 fractional digits and a mantissa below 2^96 (what a .NET decimal holds exactly).
    /// </summary>
    internal static bool IsCanonicalDecimal(string text)
    {
        if (!DecimalPattern().IsMatch(text) || text == "-0")
        {
            return false;
        }

        var unsigned = text.TrimStart('-');
        var dot = unsigned.IndexOf('.', StringComparison.Ordinal);
        var fractionDigits = dot < 0 ? 0 : unsigned.Length - dot - 1;
        return fractionDigits <= 28
            && BigInteger.Parse(unsigned.Replace(".", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture) <= MaxDecimalMantissa;
    }

    /// <summary>A double as the header writes it: exactly what <c>double.ToString("R")</c> writes for the value it parses to.</summary>
    internal static bool IsRoundTripDouble(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        && string.Equals(value.ToString("R", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);

    /// <summary>A timestamp as the ledger writes it: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, a real date and time of day, UTC.</summary>
    internal static bool TryParseTimestamp(string text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        var match = TimestampPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        int Part(int group) => int.Parse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var (year, month, day, hour, minute, second, millisecond) = (Part(1), Part(2), Part(3), Part(4), Part(5), Part(6), Part(7));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        timestamp = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);
        return true;
    }

    /// <summary>A timestamp as the ledger writes it.</summary>
    internal static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\A-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalPattern();

    [GeneratedRegex(@"\A([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{3})Z\z", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();
}
