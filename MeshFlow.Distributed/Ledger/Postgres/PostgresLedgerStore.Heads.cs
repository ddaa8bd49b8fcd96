using MeshFlow.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace MeshFlow.Distributed.Ledger.Postgres;

public sealed partial class PostgresLedgerStore
{
    /// <inheritdoc />
    public async Task SaveHeadAsync(LedgerHead head, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(head);
        var key = RunKey(head.TenantId, head.RunId);
        if (string.IsNullOrWhiteSpace(head.EntryHash) || string.IsNullOrWhiteSpace(head.KeyId) || head.Signature is null)
        {
            throw new ArgumentException("a head needs its entry hash, key id and signature", nameof(head));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresLedgerSql.SaveHead,
        [
            key[0], key[1], LedgerRecordRows.BigInt(head.Seq), LedgerRecordRows.Text(head.EntryHash),
            LedgerRecordRows.BigInt(head.SignedAt.ToUnixTimeMilliseconds()), LedgerRecordRows.Text(head.KeyId),
            LedgerRecordRows.Text(head.Signature),
        ], cancellationToken).ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<LedgerHead?> ReadHeadAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var parameters = RunKey(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresLedgerSql.ReadHead, parameters, cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new LedgerHead(tenantId, runId, reader.GetInt64(0), reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.GetString(3), reader.GetString(4))
            : null;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The tenant already has a different key under <paramref name="keyId"/>.</exception>
    public async Task SavePublicKeyAsync(string tenantId, string keyId, byte[] publicKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Length == 0)
        {
            throw new ArgumentException("the public key is empty", nameof(publicKey));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var stored = await ReadKeyAsync(connection, PostgresLedgerSql.SavePublicKey,
            [LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(keyId), LedgerRecordRows.Bytes(publicKey)], cancellationToken).ConfigureAwait(false);

        // Null only when another writer stored this id between our snapshot and our insert: read what it stored.
        stored ??= await ReadKeyAsync(connection, PostgresLedgerSql.ReadPublicKey,
            [LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(keyId)], cancellationToken).ConfigureAwait(false);
        if (stored is null || !stored.AsSpan().SequenceEqual(publicKey))
        {
            throw new InvalidOperationException($"tenant '{tenantId}' already has a different public key with id '{keyId}'");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, byte[]>> ReadPublicKeysAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await CommandAsync(connection, PostgresLedgerSql.ReadPublicKeys,
            [LedgerRecordRows.Text(tenantId)], cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys[reader.GetString(0)] = reader.GetFieldValue<byte[]>(1);
        }

        return keys;
    }

    /// <inheritdoc />
    public async Task<int> RedactAsync(string tenantId, string runId, IReadOnlyCollection<long>? seqs, string notice,
        CancellationToken cancellationToken = default)
    {
        var key = RunKey(tenantId, runId);
        ArgumentNullException.ThrowIfNull(notice);
        var noticeBytes = LedgerPayloadCodec.Encode(notice, nameof(notice));
        cancellationToken.ThrowIfCancellationRequested();

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var redact = new NpgsqlBatchCommand(PostgresLedgerSql.Redact);
        redact.Parameters.Add(key[0]);
        redact.Parameters.Add(key[1]);
        redact.Parameters.Add(new NpgsqlParameter
        {
            Value = seqs is null ? DBNull.Value : seqs.ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint,
        });
        redact.Parameters.Add(LedgerRecordRows.Bytes(noticeBytes));

        // What the run's pauses copied from it (the reviewer's context, notes, notifications) is erased with it.
        var seqArray = seqs is null ? (object)DBNull.Value : seqs.ToArray();
        var messages = Statement(PostgresApprovalSql.RedactMessages, [.. RunKey(tenantId, runId),
            new NpgsqlParameter { Value = seqArray, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint }]);
        var pauses = Statement(PostgresApprovalSql.RedactPauses, [.. RunKey(tenantId, runId),
            new NpgsqlParameter { Value = seqArray, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint }]);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands = { new NpgsqlBatchCommand(PostgresLedgerSql.DeclareErasure), redact, messages, pauses },
        };

        // Erasing a whole run erases what it remembered and indexed too.
        if (seqs is null)
        {
            var (lockVectors, eraseVectors) = EraseRunVectorStatements(tenantId, runId);
            batch.BatchCommands.Add(lockVectors);
            batch.BatchCommands.Add(eraseVectors);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return redact.RecordsAffected;
    }

    private async Task<byte[]?> ReadKeyAsync(NpgsqlConnection connection, string sql, NpgsqlParameter[] parameters,
        CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(connection, sql, parameters, cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetFieldValue<byte[]>(0) : null;
    }
}
