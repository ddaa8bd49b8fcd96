using MeshFlow.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>Maps <see cref="LedgerRecord"/> to the <c>ledger_records</c> columns and back.</summary>
internal static class LedgerRecordRows
{
    /// <summary>The columns <see cref="Read"/> expects, in its order.</summary>
    public const string Columns =
        "format_version, tenant_id, run_id, seq, prev_hash, ts, kind, node_id, agent_id, step_id, verdict, block_reason, " +
        "tokens_input, tokens_output, tokens_estimated, cost_usd, duration_ms, uncertainty, signing_key_id, payload_hash, " +
        "entry_hash, payload, payload_compressed, redacted, agent_did";

    /// <summary>Reads the current row (selected with <see cref="Columns"/>), decompressing its payload.</summary>
    public static LedgerRecord Read(NpgsqlDataReader reader) => new()
    {
        FormatVersion = reader.GetInt32(0),
        TenantId = reader.GetString(1),
        RunId = reader.GetString(2),
        Seq = reader.GetInt64(3),
        PrevHash = reader.GetString(4),
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        Kind = reader.GetString(6),
        NodeId = NullableString(reader, 7),
        AgentId = NullableString(reader, 8),
        StepId = NullableString(reader, 9),
        Verdict = NullableString(reader, 10),
        BlockReason = NullableString(reader, 11),
        TokensInput = reader.GetInt64(12),
        TokensOutput = reader.GetInt64(13),
        TokensEstimated = reader.GetBoolean(14),
        CostUsd = reader.GetDecimal(15),
        DurationMs = reader.GetDouble(16),
        Uncertainty = reader.IsDBNull(17) ? null : reader.GetDouble(17),
        SigningKeyId = reader.GetString(18),
        PayloadHash = reader.GetString(19),
        EntryHash = reader.GetString(20),
        Payload = LedgerPayloadCodec.Unpack(reader.GetFieldValue<byte[]>(21), reader.GetBoolean(22)),
        Redacted = reader.GetBoolean(23),
        AgentDid = NullableString(reader, 24),
    };

    /// <summary>A text parameter; null is SQL NULL.</summary>
    public static NpgsqlParameter Text(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    /// <summary>A bigint parameter.</summary>
    public static NpgsqlParameter<long> BigInt(long value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    /// <summary>A boolean parameter.</summary>
    public static NpgsqlParameter<bool> Boolean(bool value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Boolean };

    /// <summary>A bytea parameter.</summary>
    public static NpgsqlParameter<byte[]> Bytes(byte[] value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bytea };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
