using Npgsql;

namespace MeshFlow.Testing.Postgres.Tests;

public sealed class PostgresServerTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Server_answers_with_PostgreSQL_15()
    {
        await using var connection = await OpenAsync(fixture.ConnectionString);

        var version = await ScalarAsync<string>(connection, "SELECT version()");

        Assert.StartsWith("PostgreSQL 15.", version, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine($"{version} from {fixture.Server.BinDirectory} on port {fixture.Server.Port}");
    }

    [Fact]
    public async Task Server_is_durable_loopback_only_and_sized_for_parallel_tests()
    {
        await using var connection = await OpenAsync(fixture.ConnectionString);

        Assert.Equal("on", await ScalarAsync<string>(connection, "SHOW fsync"));
        Assert.Equal("on", await ScalarAsync<string>(connection, "SHOW synchronous_commit"));
        Assert.Equal("127.0.0.1", await ScalarAsync<string>(connection, "SHOW listen_addresses"));
        Assert.Equal("200", await ScalarAsync<string>(connection, "SHOW max_connections"));
        Assert.Equal(fixture.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), await ScalarAsync<string>(connection, "SHOW port"));
        Assert.Equal("UTF8", await ScalarAsync<string>(connection, "SHOW server_encoding"));
        Assert.Equal(fixture.Server.DataDirectory, await ScalarAsync<string>(connection, "SHOW data_directory"));
    }

    [Fact]
    public async Task Databases_are_isolated_from_each_other()
    {
        var first = await fixture.CreateDatabaseAsync("iso");
        var second = await fixture.CreateDatabaseAsync("iso");
        Assert.NotEqual(first, second);

        await using (var connection = await OpenAsync(first))
        {
            await ExecuteAsync(connection, "CREATE TABLE ledger (id int PRIMARY KEY, note text)");
            await ExecuteAsync(connection, "INSERT INTO ledger VALUES (1, 'only in the first database')");
        }

        await using (var connection = await OpenAsync(second))
        {
            Assert.Null(await ScalarAsync<string>(connection, "SELECT to_regclass('ledger')::text"));
            await ExecuteAsync(connection, "CREATE TABLE ledger (id int PRIMARY KEY, note text)");
            Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM ledger"));
        }

        await using (var connection = await OpenAsync(first))
        {
            Assert.Equal(1L, await ScalarAsync<long>(connection, "SELECT count(*) FROM ledger"));
        }
    }

    [Fact]
    public async Task Databases_can_be_created_concurrently()
    {
        var connectionStrings = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => fixture.CreateDatabaseAsync("par")));

        Assert.Equal(6, connectionStrings.Distinct(StringComparer.Ordinal).Count());
        foreach (var connectionString in connectionStrings)
        {
            await using var connection = await OpenAsync(connectionString);
            Assert.Equal(new NpgsqlConnectionStringBuilder(connectionString).Database, await ScalarAsync<string>(connection, "SELECT current_database()"));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("1starts_with_digit")]
    [InlineData("has-dash")]
    [InlineData("quote\"injection")]
    [InlineData("a_name_that_is_far_too_long_for_postgres_identifiers_0123456789abc")]
    public async Task Unsafe_database_names_are_rejected(string name)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => fixture.Server.CreateDatabaseAsync(name));
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    internal static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is DBNull ? default : (T?)value;
    }
}
