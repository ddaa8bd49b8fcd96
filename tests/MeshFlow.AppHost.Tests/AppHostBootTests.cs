using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MeshFlow.AppHost.Tests.Support;
using Npgsql;
using StackExchange.Redis;

namespace MeshFlow.AppHost.Tests;

[Collection(SharedAppHost.Name)]
public sealed class AppHostBootTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Api_health_reports_the_configured_ledger_and_redis()
    {
        using var client = fixture.CreateApiClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(body.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("configured", body.RootElement.GetProperty("db").GetString());
        Assert.Equal("configured", body.RootElement.GetProperty("redis").GetString());
    }

    [Fact]
    public void Both_worker_replicas_run()
    {
        Assert.Equal(2, fixture.WorkersAtBoot.Count);
    }

    [Fact]
    public async Task Ledger_connection_string_reaches_a_real_postgres_ledger_database()
    {
        var connectionString = await fixture.GetConnectionStringAsync("ledger");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT current_database(), current_setting('server_version_num')::int", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal("ledger", reader.GetString(0));
        Assert.True(reader.GetInt32(1) >= 120000, "a real PostgreSQL server");
    }

    [Fact]
    public async Task Ledger_refuses_a_wrong_password()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await fixture.GetConnectionStringAsync("ledger"))
        {
            Password = "not-the-password",
            Pooling = false,
        }.ConnectionString;

        await using var connection = new NpgsqlConnection(connectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync(TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    [Fact]
    public async Task Redis_connection_string_reaches_a_real_redis()
    {
        var connectionString = await fixture.GetConnectionStringAsync("redis");

        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        var database = redis.GetDatabase();
        var key = "apphost-tests:" + Guid.NewGuid().ToString("N");
        Assert.True(await database.StringSetAsync(key, "real", TimeSpan.FromMinutes(1)));
        Assert.Equal("real", (string?)await database.StringGetAsync(key));
        Assert.True(redis.GetServer(redis.GetEndPoints()[0]).Version.Major >= 6, "a real Redis server");
    }

    [Fact]
    public async Task Redis_refuses_a_client_without_the_password()
    {
        var endpoint = ConfigurationOptions.Parse(await fixture.GetConnectionStringAsync("redis")).EndPoints.Single();
        var (host, port) = endpoint switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            _ => throw new InvalidOperationException($"Unexpected endpoint {endpoint}"),
        };

        // Raw RESP, so no client library retries or hides the server's answer.
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, TestContext.Current.CancellationToken).AsTask().WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        await using var stream = client.GetStream();
        await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var reply = await reader.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.StartsWith("-NOAUTH", reply, StringComparison.Ordinal);
    }
}
