using Npgsql;

namespace MeshFlow.Distributed.Ledger.Postgres;

/// <summary>
/// The ledger schema's numbered migrations (embedded <c>Migrations/NNNN_*.sql</c> scripts), applied in order and
/// recorded in <c>schema_migrations</c>.
/// </summary>
/// <remarks>
/// Everything runs in one transaction that first takes a transaction-scoped advisory lock, so processes that start
/// at once queue up: the first applies what is pending, the others then find nothing to do. Every script is also
/// idempotent on its own (<c>IF NOT EXISTS</c>, <c>CREATE OR REPLACE</c>).
/// </remarks>
internal static class PostgresLedgerMigrations
{
    /// <summary>The advisory lock key: "MeshFlow" in ASCII.</summary>
    public const long LockKey = 0x4D65_7368_466C_6F77;

    private const string ResourcePrefix = "MeshFlow.Distributed.Ledger.Postgres.Migrations.";

    private static readonly Lazy<IReadOnlyList<Migration>> All = new(Load);

    /// <summary>The newest schema version.</summary>
    public static int LatestVersion => All.Value[^1].Version;

    /// <summary>Applies every migration up to <paramref name="targetVersion"/> that is not recorded yet.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, int targetVersion, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetVersion, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, LatestVersion);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", cancellationToken,
            new NpgsqlParameter<long> { TypedValue = LockKey }).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    int         PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken).ConfigureAwait(false);

        var applied = await ReadAppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        foreach (var migration in All.Value)
        {
            if (migration.Version > targetVersion || applied.Contains(migration.Version))
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version) VALUES ($1)", cancellationToken,
                new NpgsqlParameter<int> { TypedValue = migration.Version }).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HashSet<int>> ReadAppliedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(PostgresLedgerMigrations).Assembly;
        var migrations = new List<Migration>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = name[ResourcePrefix.Length..];
            var version = int.Parse(fileName.AsSpan(0, fileName.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"the migration resource '{name}' is missing");
            using var text = new StreamReader(stream);
            migrations.Add(new Migration(version, text.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"the ledger migrations must be numbered 1, 2, 3...; found {migrations[i].Version} at position {i + 1}");
            }
        }

        return migrations;
    }

    private sealed record Migration(int Version, string Sql);
}
