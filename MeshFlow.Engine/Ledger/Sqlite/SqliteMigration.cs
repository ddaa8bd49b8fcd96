using Microsoft.Data.Sqlite;

namespace MeshFlow.Ledger.Sqlite;

/// <summary>
/// One numbered schema change of the SQLite ledger. Migrations run in order inside the migrator's
/// <c>BEGIN IMMEDIATE</c> transaction and must be idempotent: a half-known database (a column already there, an
/// index already made) must not make them fail.
/// </summary>
internal abstract class SqliteMigration
{
    /// <summary>The version this migration brings the schema to; versions start at 1 and have no gaps.</summary>
    public abstract int Version { get; }

    /// <summary>What the migration does, for people reading <c>schema_migrations</c> and logs.</summary>
    public abstract string Description { get; }

    /// <summary>Applies the change inside <paramref name="transaction"/>.</summary>
    public abstract void Apply(SqliteConnection connection, SqliteTransaction transaction);

    /// <summary>Runs one or more SQL statements inside the migration's transaction.</summary>
    protected static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The column names of a table, from <c>pragma table_info</c>.</summary>
    protected static HashSet<string> Columns(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }
}
