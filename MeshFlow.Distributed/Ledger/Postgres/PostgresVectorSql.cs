namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>The SQL of the store's vector collections (migration 9). Every statement is scoped to a tenant ($1).</summary>
internal static class PostgresVectorSql
{
    /// <summary>The column order every entry query selects, and ReadEntry reads by ordinal.</summary>
    public const string EntryColumns = """
        key, deleted, document_id, run_id, scope, text, source, position, metadata, embedding_model, created_at, last_used_at,
        use_count, vector, version
        """;

    /// <summary>What a deleted entry keeps: its key, the version of the delete and the mark.</summary>
    private const string Tombstone = """
        deleted = true, document_id = NULL, run_id = NULL, scope = NULL, text = NULL, source = NULL, position = 0, metadata = NULL,
        embedding_model = NULL, created_at = NULL, last_used_at = NULL, use_count = 0, vector = NULL
        """;

    /// <summary>($1 tenant, $2 name) → id, dimensions, embedding model, version.</summary>
    public const string ReadCollection =
        "SELECT id, dimensions, embedding_model, version FROM vector_collections WHERE tenant_id = $1 AND name = $2";

    /// <summary>The same, locking the row until the transaction ends: writes to one collection are serialized by it.</summary>
    public const string LockCollection = ReadCollection + " FOR UPDATE";

    /// <summary>Creates ($1 tenant, $2 name) with $3 dimensions unless it exists.</summary>
    public const string InsertCollection =
        "INSERT INTO vector_collections (tenant_id, name, dimensions) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, name) DO NOTHING";

    /// <summary>Deletes collection ($1 tenant, $2 name) and, by cascade, its entries.</summary>
    public const string DeleteCollection = "DELETE FROM vector_collections WHERE tenant_id = $1 AND name = $2";

    /// <summary>Every collection name.</summary>
    public const string ListCollections = "SELECT name FROM vector_collections";

    /// <summary>The collection names of tenant $1.</summary>
    public const string ListTenantCollections = "SELECT name FROM vector_collections WHERE tenant_id = $1";

    /// <summary>Sets collection ($1 tenant, $2 id)'s version to $3 and its model to $4.</summary>
    public const string BumpCollection = "UPDATE vector_collections SET version = $3, embedding_model = $4 WHERE tenant_id = $1 AND id = $2";

    /// <summary>Writes entry ($1 tenant, $2 collection, $3 key) at version $4 with the entry's columns $5..$16.</summary>
    public const string UpsertEntry = """
        INSERT INTO vector_entries (tenant_id, collection_id, key, version, deleted, document_id, run_id, scope, text, source, position,
            metadata, embedding_model, created_at, last_used_at, use_count, vector)
        VALUES ($1, $2, $3, $4, false, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
        ON CONFLICT (tenant_id, collection_id, key) DO UPDATE SET
            version = excluded.version, deleted = false, document_id = excluded.document_id, run_id = excluded.run_id,
            scope = excluded.scope, text = excluded.text, source = excluded.source, position = excluded.position,
            metadata = excluded.metadata, embedding_model = excluded.embedding_model, created_at = excluded.created_at,
            last_used_at = excluded.last_used_at, use_count = excluded.use_count, vector = excluded.vector
        """;

    /// <summary>Leaves a tombstone at version $4 of the entries of ($1 tenant, $2 collection) whose keys are in $3.</summary>
    public const string DeleteEntries =
        $"UPDATE vector_entries SET {Tombstone}, version = $4 WHERE tenant_id = $1 AND collection_id = $2 AND key = ANY($3) AND NOT deleted";

    /// <summary>Every live entry of ($1 tenant, $2 collection).</summary>
    public const string ReadAllEntries =
        $"SELECT {EntryColumns} FROM vector_entries WHERE tenant_id = $1 AND collection_id = $2 AND NOT deleted";

    /// <summary>The rows of ($1 tenant, $2 collection) written after version $3, tombstones included.</summary>
    public const string ReadChangedEntries =
        $"SELECT {EntryColumns} FROM vector_entries WHERE tenant_id = $1 AND collection_id = $2 AND version > $3";

    /// <summary>Locks, in id order, the collections of tenant $1 that hold entries of run $2 (so concurrent erasures cannot deadlock).</summary>
    public const string LockRunCollections = """
        SELECT id FROM vector_collections WHERE tenant_id = $1 AND id IN (
            SELECT collection_id FROM vector_entries WHERE tenant_id = $1 AND run_id = $2 AND NOT deleted)
        ORDER BY id FOR UPDATE
        """;

    /// <summary>Tombstones the entries of run $2 (tenant $1), each at its collection's next version.</summary>
    public const string EraseRunEntries = $"""
        WITH touched AS (
            UPDATE vector_collections AS c SET version = c.version + 1
            WHERE c.tenant_id = $1 AND c.id IN (
                SELECT collection_id FROM vector_entries WHERE tenant_id = $1 AND run_id = $2 AND NOT deleted)
            RETURNING c.id, c.version)
        UPDATE vector_entries AS e SET {Tombstone}, version = touched.version
        FROM touched
        WHERE e.tenant_id = $1 AND e.collection_id = touched.id AND e.run_id = $2 AND NOT e.deleted
        """;

    /// <summary>Counts the live entries of tenant $1 (what a tenant's erasure deletes).</summary>
    public const string CountTenantEntries = "SELECT count(*) FROM vector_entries WHERE tenant_id = $1 AND NOT deleted";

    /// <summary>Deletes every collection of tenant $1 and, by cascade, their entries.</summary>
    public const string DeleteTenantCollections = "DELETE FROM vector_collections WHERE tenant_id = $1";
}
