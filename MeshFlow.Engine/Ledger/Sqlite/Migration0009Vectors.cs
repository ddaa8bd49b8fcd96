using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>
/// Migration 9: vector collections and their entries (knowledge chunks, agent memories). Times are unix milliseconds,
/// as in the other tables; a vector is a BLOB of little-endian float32 values, in a column of its own.
/// </summary>
/// <remarks>
/// A collection's <c>version</c> moves on with every write and each entry row keeps the version of its last write, so
/// <c>ix_vector_entries_changes</c> serves a cache's "what changed since" read; a deleted entry stays as a row with
/// <c>deleted = 1</c> and nothing else but its key. <c>ix_vector_entries_run</c> serves the erasure of a run.
/// </remarks>
internal sealed class Migration0009Vectors : SqliteMigration
{
    public override int Version => 9;

    public override string Description => "vector collections and entries";

    public override void Apply(SqliteConnection connection, SqliteTransaction transaction) => Execute(connection, transaction, """
        CREATE TABLE IF NOT EXISTS vector_collections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant_id TEXT NOT NULL,
            name TEXT NOT NULL,
            dimensions INTEGER NOT NULL CHECK (dimensions > 0),
            embedding_model TEXT,
            version INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            UNIQUE (tenant_id, name)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS vector_entries (
            tenant_id TEXT NOT NULL,
            collection_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            version INTEGER NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            document_id TEXT,
            run_id TEXT,
            scope TEXT,
            text TEXT,
            source TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            metadata TEXT,
            embedding_model TEXT,
            created_at INTEGER,
            last_used_at INTEGER,
            use_count INTEGER NOT NULL DEFAULT 0,
            vector BLOB,
            PRIMARY KEY (tenant_id, collection_id, key)
        ) STRICT;

        CREATE INDEX IF NOT EXISTS ix_vector_entries_changes ON vector_entries (tenant_id, collection_id, version);
        CREATE INDEX IF NOT EXISTS ix_vector_entries_run ON vector_entries (tenant_id, run_id) WHERE run_id IS NOT NULL;
        """);
}
