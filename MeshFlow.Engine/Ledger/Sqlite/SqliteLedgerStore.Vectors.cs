using MeshFlow.Retrieval.Vectors;
using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>The store's vector collections (migration 9), behind <see cref="IVectorEntryStore"/>.</summary>
public sealed partial class SqliteLedgerStore : IVectorEntryStore
{
    // The column order every entry query selects, and ReadEntry reads by ordinal.
    private const string EntryColumns = """
        key, deleted, document_id, run_id, scope, text, source, position, metadata, embedding_model, created_at, last_used_at,
        use_count, vector, version
        """;

    // What a deleted entry keeps: its key, the version of the delete and the mark.
    private const string Tombstone = """
        deleted = 1, document_id = NULL, run_id = NULL, scope = NULL, text = NULL, source = NULL, position = 0, metadata = NULL,
        embedding_model = NULL, created_at = NULL, last_used_at = NULL, use_count = 0, vector = NULL
        """;

    /// <inheritdoc />
    public async Task<VectorCollectionInfo?> ReadVectorCollectionAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        ValidateCollection(tenantId, name);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadCollectionAsync(connection, null, tenantId, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<VectorCollectionInfo> CreateVectorCollectionAsync(string tenantId, string name, int dimensions, CancellationToken cancellationToken = default)
    {
        ValidateCollection(tenantId, name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        return await WriteVectorsLockedAsync(async (connection, transaction) =>
        {
            var collection = await ReadCollectionAsync(connection, transaction, tenantId, name, cancellationToken).ConfigureAwait(false)
                ?? await InsertCollectionAsync(connection, transaction, tenantId, name, dimensions, cancellationToken).ConfigureAwait(false);
            VectorWrites.CheckModel(name, collection.Dimensions, collection.EmbeddingModel, dimensions, []);
            return collection;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteVectorCollectionAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        ValidateCollection(tenantId, name);
        return await WriteVectorsLockedAsync(async (connection, transaction) =>
        {
            if (await ReadCollectionAsync(connection, transaction, tenantId, name, cancellationToken).ConfigureAwait(false) is not { } collection)
            {
                return false;
            }

            using var delete = Command(connection, transaction, """
                DELETE FROM vector_entries WHERE tenant_id = $tenant AND collection_id = $collection;
                DELETE FROM vector_collections WHERE tenant_id = $tenant AND id = $collection;
                """);
            delete.Parameters.AddWithValue("$tenant", tenantId);
            delete.Parameters.AddWithValue("$collection", collection.Id);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListVectorCollectionsAsync(string? tenantId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, tenantId is null
            ? "SELECT name FROM vector_collections"
            : "SELECT name FROM vector_collections WHERE tenant_id = $tenant");
        if (tenantId is not null)
        {
            command.Parameters.AddWithValue("$tenant", tenantId);
        }

        var names = new List<string>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
        return await WriteVectorsLockedAsync(async (connection, transaction) =>
        {
            var collection = await ReadCollectionAsync(connection, transaction, tenantId, name, cancellationToken).ConfigureAwait(false);
            if (collection is null)
            {
                if (upserts.Count == 0)
                {
                    return null;
                }

                collection = await InsertCollectionAsync(connection, transaction, tenantId, name, dimensions, cancellationToken).ConfigureAwait(false);
            }

            var model = VectorWrites.CheckModel(name, collection.Dimensions, collection.EmbeddingModel, dimensions, upserts);
            var version = collection.Version + 1;
            using (var bump = Command(connection, transaction,
                "UPDATE vector_collections SET version = $version, embedding_model = $model WHERE tenant_id = $tenant AND id = $collection"))
            {
                bump.Parameters.AddWithValue("$version", version);
                bump.Parameters.AddWithValue("$model", (object?)model ?? DBNull.Value);
                bump.Parameters.AddWithValue("$tenant", tenantId);
                bump.Parameters.AddWithValue("$collection", collection.Id);
                await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (deletes.Count > 0)
            {
                using var delete = Command(connection, transaction,
                    $"UPDATE vector_entries SET {Tombstone}, version = $version WHERE tenant_id = $tenant AND collection_id = $collection AND key = $key AND deleted = 0");
                delete.Parameters.AddWithValue("$version", version);
                delete.Parameters.AddWithValue("$tenant", tenantId);
                delete.Parameters.AddWithValue("$collection", collection.Id);
                var key = delete.Parameters.Add("$key", SqliteType.Text);
                foreach (var deleted in deletes)
                {
                    key.Value = deleted;
                    await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (upserts.Count > 0)
            {
                await UpsertEntriesAsync(connection, transaction, tenantId, collection.Id, version, upserts, cancellationToken).ConfigureAwait(false);
            }

            return collection with { EmbeddingModel = model, Version = version };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<VectorChanges> ReadVectorChangesAsync(string tenantId, long collectionId, long sinceVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentOutOfRangeException.ThrowIfNegative(sinceVersion);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, sinceVersion == 0
            ? $"SELECT {EntryColumns} FROM vector_entries WHERE tenant_id = $tenant AND collection_id = $collection AND deleted = 0"
            : $"SELECT {EntryColumns} FROM vector_entries WHERE tenant_id = $tenant AND collection_id = $collection AND version > $since");
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$collection", collectionId);
        command.Parameters.AddWithValue("$since", sinceVersion);
        var upserts = new List<VectorEntry>();
        var deletes = new List<string>();
        var version = sinceVersion;
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            version = Math.Max(version, reader.GetInt64(14));
            if (reader.GetInt64(1) != 0)
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
        ValidateRun(tenantId, runId);
        return await WriteVectorsLockedAsync((connection, transaction) => EraseRunVectorsAsync(connection, transaction, tenantId, runId, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> DeleteTenantVectorsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return await WriteVectorsLockedAsync(async (connection, transaction) =>
        {
            using var live = Command(connection, transaction, "DELETE FROM vector_entries WHERE tenant_id = $tenant AND deleted = 0");
            live.Parameters.AddWithValue("$tenant", tenantId);
            var count = await live.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            using var rest = Command(connection, transaction, """
                DELETE FROM vector_entries WHERE tenant_id = $tenant;
                DELETE FROM vector_collections WHERE tenant_id = $tenant;
                """);
            rest.Parameters.AddWithValue("$tenant", tenantId);
            await rest.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }, cancellationToken).ConfigureAwait(false);
    }

    // Leaves a tombstone of every entry the run wrote and moves each collection it touched on by one version, so caches
    // drop the entries on their next read.
    private static async Task<int> EraseRunVectorsAsync(SqliteConnection connection, SqliteTransaction transaction, string tenantId, string runId,
        CancellationToken cancellationToken)
    {
        using var bump = Command(connection, transaction, """
            UPDATE vector_collections SET version = version + 1
            WHERE tenant_id = $tenant AND id IN (
                SELECT collection_id FROM vector_entries WHERE tenant_id = $tenant AND run_id = $run AND deleted = 0)
            """);
        AddRun(bump, tenantId, runId);
        await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        using var erase = Command(connection, transaction, $"""
            UPDATE vector_entries SET {Tombstone},
                version = (SELECT c.version FROM vector_collections AS c WHERE c.id = vector_entries.collection_id)
            WHERE tenant_id = $tenant AND run_id = $run AND deleted = 0
            """);
        AddRun(erase, tenantId, runId);
        return await erase.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> WriteVectorsLockedAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = await write(connection, transaction).ConfigureAwait(false);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static async Task<VectorCollectionInfo?> ReadCollectionAsync(SqliteConnection connection, SqliteTransaction? transaction, string tenantId,
        string name, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction,
            "SELECT id, dimensions, embedding_model, version FROM vector_collections WHERE tenant_id = $tenant AND name = $name");
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$name", name);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new VectorCollectionInfo(reader.GetInt64(0), tenantId, name, reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3))
            : null;
    }

    private static async Task<VectorCollectionInfo> InsertCollectionAsync(SqliteConnection connection, SqliteTransaction transaction, string tenantId,
        string name, int dimensions, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO vector_collections (tenant_id, name, dimensions, version, created_at) VALUES ($tenant, $name, $dimensions, 0, $at)
            RETURNING id
            """);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$dimensions", dimensions);
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new VectorCollectionInfo(id, tenantId, name, dimensions, null, 0);
    }

    private static async Task UpsertEntriesAsync(SqliteConnection connection, SqliteTransaction transaction, string tenantId, long collectionId,
        long version, IReadOnlyList<VectorEntry> entries, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO vector_entries (tenant_id, collection_id, key, version, deleted, document_id, run_id, scope, text, source, position,
                metadata, embedding_model, created_at, last_used_at, use_count, vector)
            VALUES ($tenant, $collection, $key, $version, 0, $document, $run, $scope, $text, $source, $position,
                $metadata, $model, $created, $used, $uses, $vector)
            ON CONFLICT (tenant_id, collection_id, key) DO UPDATE SET
                version = excluded.version, deleted = 0, document_id = excluded.document_id, run_id = excluded.run_id,
                scope = excluded.scope, text = excluded.text, source = excluded.source, position = excluded.position,
                metadata = excluded.metadata, embedding_model = excluded.embedding_model, created_at = excluded.created_at,
                last_used_at = excluded.last_used_at, use_count = excluded.use_count, vector = excluded.vector
            """);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$collection", collectionId);
        command.Parameters.AddWithValue("$version", version);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var document = command.Parameters.Add("$document", SqliteType.Text);
        var run = command.Parameters.Add("$run", SqliteType.Text);
        var scope = command.Parameters.Add("$scope", SqliteType.Text);
        var text = command.Parameters.Add("$text", SqliteType.Text);
        var source = command.Parameters.Add("$source", SqliteType.Text);
        var position = command.Parameters.Add("$position", SqliteType.Integer);
        var metadata = command.Parameters.Add("$metadata", SqliteType.Text);
        var model = command.Parameters.Add("$model", SqliteType.Text);
        var created = command.Parameters.Add("$created", SqliteType.Integer);
        var used = command.Parameters.Add("$used", SqliteType.Integer);
        var uses = command.Parameters.Add("$uses", SqliteType.Integer);
        var vector = command.Parameters.Add("$vector", SqliteType.Blob);
        foreach (var entry in entries)
        {
            key.Value = entry.Key;
            document.Value = (object?)entry.DocumentId ?? DBNull.Value;
            run.Value = (object?)entry.RunId ?? DBNull.Value;
            scope.Value = (object?)entry.Scope ?? DBNull.Value;
            text.Value = entry.Text ?? "";
            source.Value = (object?)entry.Source ?? DBNull.Value;
            position.Value = entry.Position;
            metadata.Value = (object?)entry.Metadata ?? DBNull.Value;
            model.Value = entry.EmbeddingModel;
            created.Value = entry.CreatedAt.ToUnixTimeMilliseconds();
            used.Value = entry.LastUsedAt.ToUnixTimeMilliseconds();
            uses.Value = entry.UseCount;
            vector.Value = VectorBlobs.ToBytes(entry.Vector.Span);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static VectorEntry ReadEntry(SqliteDataReader reader, string tenantId) => new()
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
        CreatedAt = reader.IsDBNull(10) ? default : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
        LastUsedAt = reader.IsDBNull(11) ? default : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)),
        UseCount = reader.GetInt32(12),
        Vector = reader.IsDBNull(13) ? default : VectorBlobs.FromBytes(reader.GetFieldValue<byte[]>(13)),
    };

    private static void ValidateCollection(string tenantId, string name)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(name);
    }
}
