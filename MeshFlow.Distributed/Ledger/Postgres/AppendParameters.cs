using Npgsql;
using NpgsqlTypes;

namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>The parameters of the append statements, typed, in their positional order.</summary>
internal static class AppendParameters
{
    /// <summary>$1-$28 of <see cref="PostgresLedgerSql.Append"/>: one append.</summary>
    public static void AddValues(NpgsqlParameterCollection parameters, PendingAppend append)
    {
        var record = append.Record;
        parameters.Add(LedgerRecordRows.Text(record.TenantId));
        parameters.Add(LedgerRecordRows.Text(record.RunId));
        parameters.Add(LedgerRecordRows.BigInt(record.Seq));
        parameters.Add(new NpgsqlParameter<int> { TypedValue = record.FormatVersion, NpgsqlDbType = NpgsqlDbType.Integer });
        parameters.Add(LedgerRecordRows.Text(record.PrevHash));
        parameters.Add(LedgerRecordRows.BigInt(record.Timestamp.ToUnixTimeMilliseconds()));
        parameters.Add(LedgerRecordRows.Text(record.Kind));
        parameters.Add(LedgerRecordRows.Text(record.NodeId));
        parameters.Add(LedgerRecordRows.Text(record.AgentId));
        parameters.Add(LedgerRecordRows.Text(record.StepId));
        parameters.Add(LedgerRecordRows.Text(record.Verdict));
        parameters.Add(LedgerRecordRows.Text(record.BlockReason));
        parameters.Add(LedgerRecordRows.BigInt(record.TokensInput));
        parameters.Add(LedgerRecordRows.BigInt(record.TokensOutput));
        parameters.Add(LedgerRecordRows.Boolean(record.TokensEstimated));
        parameters.Add(new NpgsqlParameter<decimal> { TypedValue = record.CostUsd, NpgsqlDbType = NpgsqlDbType.Numeric });
        parameters.Add(new NpgsqlParameter<double> { TypedValue = record.DurationMs, NpgsqlDbType = NpgsqlDbType.Double });
        parameters.Add(new NpgsqlParameter { Value = record.Uncertainty is { } u ? u : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        parameters.Add(LedgerRecordRows.Text(record.SigningKeyId));
        parameters.Add(LedgerRecordRows.Text(record.PayloadHash));
        parameters.Add(LedgerRecordRows.Text(record.EntryHash));
        parameters.Add(LedgerRecordRows.Bytes(append.Payload));
        parameters.Add(LedgerRecordRows.Boolean(append.PayloadCompressed));
        parameters.Add(LedgerRecordRows.Boolean(record.Redacted));
        parameters.Add(LedgerRecordRows.Text(record.AgentDid));
        parameters.Add(LedgerRecordRows.Text(append.CheckpointState));
        parameters.Add(LedgerRecordRows.Text(append.Workflow));
        parameters.Add(LedgerRecordRows.Text(append.FinalStatus));
    }

    /// <summary>$1-$28 of <see cref="PostgresLedgerSql.AppendBatch"/>: arrays with one element per append.</summary>
    public static void AddColumns(NpgsqlParameterCollection parameters, IReadOnlyList<PendingAppend> batch)
    {
        var count = batch.Count;
        var tenants = new string[count];
        var runs = new string[count];
        var seqs = new long[count];
        var formats = new int[count];
        var prevHashes = new string[count];
        var timestamps = new long[count];
        var kinds = new string[count];
        var nodes = new string?[count];
        var agents = new string?[count];
        var steps = new string?[count];
        var verdicts = new string?[count];
        var blockReasons = new string?[count];
        var tokensIn = new long[count];
        var tokensOut = new long[count];
        var estimated = new bool[count];
        var costs = new decimal[count];
        var durations = new double[count];
        var uncertainties = new double?[count];
        var keyIds = new string[count];
        var payloadHashes = new string[count];
        var entryHashes = new string[count];
        var payloads = new byte[count][];
        var compressed = new bool[count];
        var redacted = new bool[count];
        var agentDids = new string?[count];
        var states = new string?[count];
        var workflows = new string?[count];
        var statuses = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var append = batch[i];
            var record = append.Record;
            tenants[i] = record.TenantId;
            runs[i] = record.RunId;
            seqs[i] = record.Seq;
            formats[i] = record.FormatVersion;
            prevHashes[i] = record.PrevHash;
            timestamps[i] = record.Timestamp.ToUnixTimeMilliseconds();
            kinds[i] = record.Kind;
            nodes[i] = record.NodeId;
            agents[i] = record.AgentId;
            steps[i] = record.StepId;
            verdicts[i] = record.Verdict;
            blockReasons[i] = record.BlockReason;
            tokensIn[i] = record.TokensInput;
            tokensOut[i] = record.TokensOutput;
            estimated[i] = record.TokensEstimated;
            costs[i] = record.CostUsd;
            durations[i] = record.DurationMs;
            uncertainties[i] = record.Uncertainty;
            keyIds[i] = record.SigningKeyId;
            payloadHashes[i] = record.PayloadHash;
            entryHashes[i] = record.EntryHash;
            payloads[i] = append.Payload;
            compressed[i] = append.PayloadCompressed;
            redacted[i] = record.Redacted;
            agentDids[i] = record.AgentDid;
            states[i] = append.CheckpointState;
            workflows[i] = append.Workflow;
            statuses[i] = append.FinalStatus;
        }

        parameters.Add(Array(tenants, NpgsqlDbType.Text));
        parameters.Add(Array(runs, NpgsqlDbType.Text));
        parameters.Add(Array(seqs, NpgsqlDbType.Bigint));
        parameters.Add(Array(formats, NpgsqlDbType.Integer));
        parameters.Add(Array(prevHashes, NpgsqlDbType.Text));
        parameters.Add(Array(timestamps, NpgsqlDbType.Bigint));
        parameters.Add(Array(kinds, NpgsqlDbType.Text));
        parameters.Add(Array(nodes, NpgsqlDbType.Text));
        parameters.Add(Array(agents, NpgsqlDbType.Text));
        parameters.Add(Array(steps, NpgsqlDbType.Text));
        parameters.Add(Array(verdicts, NpgsqlDbType.Text));
        parameters.Add(Array(blockReasons, NpgsqlDbType.Text));
        parameters.Add(Array(tokensIn, NpgsqlDbType.Bigint));
        parameters.Add(Array(tokensOut, NpgsqlDbType.Bigint));
        parameters.Add(Array(estimated, NpgsqlDbType.Boolean));
        parameters.Add(Array(costs, NpgsqlDbType.Numeric));
        parameters.Add(Array(durations, NpgsqlDbType.Double));
        parameters.Add(Array(uncertainties, NpgsqlDbType.Double));
        parameters.Add(Array(keyIds, NpgsqlDbType.Text));
        parameters.Add(Array(payloadHashes, NpgsqlDbType.Text));
        parameters.Add(Array(entryHashes, NpgsqlDbType.Text));
        parameters.Add(Array(payloads, NpgsqlDbType.Bytea));
        parameters.Add(Array(compressed, NpgsqlDbType.Boolean));
        parameters.Add(Array(redacted, NpgsqlDbType.Boolean));
        parameters.Add(Array(agentDids, NpgsqlDbType.Text));
        parameters.Add(Array(states, NpgsqlDbType.Text));
        parameters.Add(Array(workflows, NpgsqlDbType.Text));
        parameters.Add(Array(statuses, NpgsqlDbType.Text));
    }

    private static NpgsqlParameter<T[]> Array<T>(T[] values, NpgsqlDbType elementType) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };
}
