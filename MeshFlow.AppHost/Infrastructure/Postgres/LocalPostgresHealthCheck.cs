using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MeshFlow.AppHost.Infrastructure.Postgres;

/// <summary>
/// Healthy when the server accepts a password login and answers <c>SELECT 1</c>; for a database, when it also
/// exists (this check creates it when missing).
/// </summary>
/// <remarks>
/// Creating the database here rather than once on a ready event means a failed attempt is simply retried on the
/// next check, and a healthy database always means "accepting connections and the database exists".
/// Connections are not pooled, so none is left open to hold up the server's shutdown.
/// </remarks>
public sealed class LocalPostgresHealthCheck(
    LocalPostgresServerResource server,
    LocalPostgresDatabaseResource? database,
    ILogger logger) : IHealthCheck
{
    private const string AdminDatabase = "postgres";
    private const string DuplicateDatabase = "42P04";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var serverConnectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The '{server.Name}' connection string is not available yet.");

            var admin = new NpgsqlConnection(Unpooled(serverConnectionString, AdminDatabase));
            await using (admin.ConfigureAwait(false))
            {
                await admin.OpenAsync(cancellationToken).ConfigureAwait(false);
                if (database is null)
                {
                    await ExecuteAsync(admin, "SELECT 1", cancellationToken).ConfigureAwait(false);
                    return HealthCheckResult.Healthy();
                }

                await EnsureDatabaseAsync(admin, database.DatabaseName, cancellationToken).ConfigureAwait(false);
            }

            var target = new NpgsqlConnection(Unpooled(serverConnectionString, database.DatabaseName));
            await using (target.ConfigureAwait(false))
            {
                await target.OpenAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(target, "SELECT 1", cancellationToken).ConfigureAwait(false);
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e);
        }
    }

    private static string Unpooled(string connectionString, string databaseName) =>
        new NpgsqlConnectionStringBuilder(connectionString)
        {
            Database = databaseName,
            Pooling = false,
            Timeout = 5,
        }.ConnectionString;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureDatabaseAsync(NpgsqlConnection admin, string databaseName, CancellationToken cancellationToken)
    {
        var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin);
        await using (exists.ConfigureAwait(false))
        {
            exists.Parameters.AddWithValue("name", databaseName);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }

        try
        {
            // The name is validated as a plain identifier when the resource is added.
            await ExecuteAsync(admin, $"CREATE DATABASE \"{databaseName}\"", cancellationToken).ConfigureAwait(false);
            InfrastructureLog.CreatedDatabase(logger, databaseName);
        }
        catch (PostgresException e) when (e.SqlState == DuplicateDatabase)
        {
            // Created meanwhile by someone else: fine.
        }
    }
}
