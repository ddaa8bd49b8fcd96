using Microsoft.Data.Sqlite;

namespace MeshFlow.Tests.Ledger.Sqlite;

/// <summary>A temporary folder for SQLite ledger files, deleted with everything in it when disposed.</summary>
internal sealed class SqliteTestDatabase : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "meshflow-sqlite-ledger-tests", Guid.NewGuid().ToString("N"));

    public SqliteTestDatabase() => Directory.CreateDirectory(_folder);

    /// <summary>The default database file (not created until a store opens it).</summary>
    public string Path => PathOf("ledger.db");

    public string PathOf(string fileName) => System.IO.Path.Combine(_folder, fileName);

    /// <summary>A raw, unpooled connection to the database, for looking under the store.</summary>
    public SqliteConnection OpenRaw(string? path = null)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path ?? Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static List<object?[]> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static int Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
