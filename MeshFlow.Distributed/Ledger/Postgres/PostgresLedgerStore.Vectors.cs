using MeshFlow.Retrieval.Vectors;
using Npgsql;
using NpgsqlTypes;

namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>The store's vector collections (migration 9), behind <see cref="IVectorEntryStore"/>.</summary>
public sealed partial class PostgresLedgerStore : IVectorEntryStore
{
    /// <inheritdoc />
    public async Task<VectorCollectionInfo?> ReadVectorCollectionAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        ValidateCollection(tenantId, name);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadCollectionAsync(connection, null, PostgresVectorSql.ReadCollection, tenantId, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<VectorCollectionInfo> CreateVectorCollectionAsync(string tenantId, string name, int dimensions, CancellationToken cancellationToken = default)
    {
        ValidateCollection(tenantId, name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, PostgresVectorSql.InsertCollection, cancellationToken,
            LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(name), Int(dimensions)).ConfigureAwait(false);
        var collection = await ReadCollectionAsync(connection, null, PostgresVectorSql.ReadCollection, tenantId, name, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"vector collection '{name}' was deleted while it was being created");
        VectorWrites.CheckModel(name, collection.Dimensions, collection.EmbeddingModel, dimensions, []);
        return collection;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteVectorCollectionAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        ValidateCollection(tenantId, name);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null, PostgresVectorSql.DeleteCollection, cancellationToken,
            LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(name)).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListVectorCollectionsAsync(string? tenantId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = tenantId is null
            ? await CommandAsync(connection, PostgresVectorSql.ListCollections, [], cancellationToken).ConfigureAwait(false)
            : await CommandAsync(connection, PostgresVectorSql.ListTenantCollections, [LedgerRecordRows.Text(tenantId)], cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <inheritdoc />
    public async Task<VectorCollectionInfo?> WriteVectorsAsync(string tenantId, string name, int dimensions, IReadOnlyList<VectorEntry> upserts,
        IReadOnlyList<string> deletes, CancellationToken cancellationToken = default)
    {
        ValidateCollection(tenantId, name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(deletes);
        foreach (var entry in upserts)
        {
            ValidateEntry(entry);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (upserts.Count > 0)
        {
            await ExecuteAsync(connection, transaction, PostgresVectorSql.InsertCollection, cancellationToken,
                LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(name), Int(dimensions)).ConfigureAwait(false);
        }

        // The collection's row lock serializes writers, so versions commit in order.
        var collection = await ReadCollectionAsync(connection, transaction, PostgresVectorSql.LockCollection, tenantId, name, cancellationToken)
            .ConfigureAwait(false);
        if (collection is null)
        {
            return null;
        }

        var model = VectorWrites.CheckModel(name, collection.Dimensions, collection.EmbeddingModel, dimensions, upserts);
        var version = collection.Version + 1;
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Statement(PostgresVectorSql.BumpCollection,
            [LedgerRecordRows.Text(tenantId), LedgerRecordRows.BigInt(collection.Id), LedgerRecordRows.BigInt(version), LedgerRecordRows.Text(model)]));
        if (deletes.Count > 0)
        {
            batch.BatchCommands.Add(Statement(PostgresVectorSql.DeleteEntries,
            [
                LedgerRecordRows.Text(tenantId), LedgerRecordRows.BigInt(collection.Id),
                new NpgsqlParameter<string[]> { TypedValue = [.. deletes], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                LedgerRecordRows.BigInt(version),
            ]));
        }

        foreach (var entry in upserts)
        {
            batch.BatchCommands.Add(Statement(PostgresVectorSql.UpsertEntry,
            [
                LedgerRecordRows.Text(tenantId), LedgerRecordRows.BigInt(collection.Id), LedgerRecordRows.Text(entry.Key), LedgerRecordRows.BigInt(version),
                LedgerRecordRows.Text(entry.DocumentId), LedgerRecordRows.Text(entry.RunId), LedgerRecordRows.Text(entry.Scope),
                LedgerRecordRows.Text(entry.Text ?? ""), LedgerRecordRows.Text(entry.Source), Int(entry.Position), LedgerRecordRows.Text(entry.Metadata),
                LedgerRecordRows.Text(entry.EmbeddingModel), Timestamp(entry.CreatedAt), Timestamp(entry.LastUsedAt), Int(entry.UseCount),
                new NpgsqlParameter<float[]> { TypedValue = entry.Vector.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real },
            ]));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return collection with { EmbeddingModel = model, Version = version };
    }

    /// <inheritdoc />
    public async Task<VectorChanges> ReadVectorChangesAsync(string tenantId, long collectionId, long sinceVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentOutOfRangeException.ThrowIfNegative(sinceVersion);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = sinceVersion == 0
            ? await CommandAsync(connection, PostgresVectorSql.ReadAllEntries,
                [LedgerRecordRows.Text(tenantId), LedgerRecordRows.BigInt(collectionId)], cancellationToken).ConfigureAwait(false)
            : await CommandAsync(connection, PostgresVectorSql.ReadChangedEntries,
                [LedgerRecordRows.Text(tenantId), LedgerRecordRows.BigInt(collectionId), LedgerRecordRows.BigInt(sinceVersion)], cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var upserts = new List<VectorEntry>();
        var deletes = new List<string>();
        var version = sinceVersion;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            version = Math.Max(version, reader.GetInt64(14));
            if (reader.GetBoolean(1))
            {
                deletes.Add(reader.GetString(0));
            }
            else
            {
                upserts.Add(ReadEntry(reader, tenantId));
            }
        }

        return new VectorChanges(upserts, deletes, version);
    }

    /// <inheritdoc />
    public async Task<int> DeleteRunVectorsAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var (lockRun, eraseRun) = EraseRunVectorStatements(tenantId, runId);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { lockRun, eraseRun } };
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return eraseRun.RecordsAffected;
    }

    /// <inheritdoc />
    public async Task<int> DeleteTenantVectorsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var count = new NpgsqlCommand(PostgresVectorSql.CountTenantEntries, connection, transaction) { Parameters = { LedgerRecordRows.Text(tenantId) } };
        var entries = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        await ExecuteAsync(connection, transaction, PostgresVectorSql.DeleteTenantCollections, cancellationToken, LedgerRecordRows.Text(tenantId))
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return entries;
    }

    /// <summary>The statements that tombstone a run's vector entries, for a transaction of the caller's (a run's erasure).</summary>
    private static (NpgsqlBatchCommand Lock, NpgsqlBatchCommand Erase) EraseRunVectorStatements(string tenantId, string runId) =>
        (Statement(PostgresVectorSql.LockRunCollections, RunKey(tenantId, runId)), Statement(PostgresVectorSql.EraseRunEntries, RunKey(tenantId, runId)));

    private async Task<VectorCollectionInfo?> ReadCollectionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, string tenantId,
        string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction)
        {
            Parameters = { LedgerRecordRows.Text(tenantId), LedgerRecordRows.Text(name) },
        };
        await PrepareAsync(command, cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new VectorCollectionInfo(reader.GetInt64(0), tenantId, name, reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3))
            : null;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static VectorEntry ReadEntry(NpgsqlDataReader reader, string tenantId) => new()
    {
        Key = reader.GetString(0),
        TenantId = tenantId,
        DocumentId = reader.IsDBNull(2) ? null : reader.GetString(2),
        RunId = reader.IsDBNull(3) ? null : reader.GetString(3),
        Scope = reader.IsDBNull(4) ? null : reader.GetString(4),
        Text = reader.IsDBNull(5) ? "" : reader.GetString(5),
        Source = reader.IsDBNull(6) ? null : reader.GetString(6),
        Position = reader.GetInt32(7),
        Metadata = reader.IsDBNull(8) ? null : reader.GetString(8),
        EmbeddingModel = reader.IsDBNull(9) ? "" : reader.GetString(9),
        CreatedAt = reader.IsDBNull(10) ? default : reader.GetFieldValue<DateTimeOffset>(10),
        LastUsedAt = reader.IsDBNull(11) ? default : reader.GetFieldValue<DateTimeOffset>(11),
        UseCount = reader.GetInt32(12),
        Vector = reader.IsDBNull(13) ? default : reader.GetFieldValue<float[]>(13),
    };

    private static NpgsqlParameter<int> Int(int value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Integer };

    private static NpgsqlParameter<DateTimeOffset> Timestamp(DateTimeOffset value) =>
        new() { TypedValue = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static void ValidateCollection(string tenantId, string name)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (HasNul(tenantId, name))
        {
            throw new ArgumentException("a vector collection's tenant and name cannot hold a NUL character", nameof(name));
        }
    }

    // Postgres text cannot hold U+0000: refused here with the entry's key, rather than failing the write's batch.
    private static void ValidateEntry(VectorEntry entry)
    {
        foreach (var (field, value) in new[]
        {
            (nameof(VectorEntry.Key), entry.Key), (nameof(VectorEntry.DocumentId), entry.DocumentId), (nameof(VectorEntry.RunId), entry.RunId),
            (nameof(VectorEntry.Scope), entry.Scope), (nameof(VectorEntry.Text), entry.Text), (nameof(VectorEntry.Source), entry.Source),
            (nameof(VectorEntry.Metadata), entry.Metadata), (nameof(VectorEntry.EmbeddingModel), entry.EmbeddingModel),
        })
        {
            if (HasNul(value))
            {
                throw new ArgumentException($"vector entry '{entry.Key.Replace("\0", "", StringComparison.Ordinal)}' has a NUL character in its {field}, which Postgres cannot store",
                    nameof(entry));
            }
        }
    }
}
