using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace MeshFlow.Testing.Postgres.Tests;

/// <summary>Tests that own their server, to stop, restart and dispose it.</summary>
public sealed class PostgresServerLifecycleTests
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Start_is_timed_and_reported()
    {
        var clock = Stopwatch.StartNew();
        await using var server = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);
        var started = clock.Elapsed;
        clock.Restart();
        await server.DisposeAsync();

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"start (initdb + pg_ctl start + SELECT 1): {started.TotalMilliseconds:0} ms; stop + delete: {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Committed_data_survives_a_restart(bool immediate)
    {
        await using var server = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);
        var database = await server.CreateDatabaseAsync("durable");
        await using (var connection = await OpenAsync(database))
        {
            await PostgresServerTests.ExecuteAsync(connection, "CREATE TABLE ledger (id int PRIMARY KEY)");
            await PostgresServerTests.ExecuteAsync(connection, "INSERT INTO ledger SELECT generate_series(1, 1000)");
        }

        // immediate: no shutdown checkpoint, like a crash; the restart replays the WAL.
        await server.RestartAsync(immediate, TestContext.Current.CancellationToken);

        await using (var connection = await OpenAsync(database))
        {
            Assert.Equal(1000L, await PostgresServerTests.ScalarAsync<long>(connection, "SELECT count(*) FROM ledger"));
        }

        if (immediate)
        {
            Assert.Contains("database system was not properly shut down", File.ReadAllText(server.LogFile), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Dispose_stops_the_server_and_deletes_its_files()
    {
        var server = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);
        var port = server.Port;
        var dataDirectory = server.DataDirectory;
        var rootDirectory = Path.GetDirectoryName(dataDirectory)!;
        var postmasterPid = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        await using (var connection = await OpenAsync(server.ConnectionString))
        {
            Assert.Equal(1, await PostgresServerTests.ScalarAsync<int>(connection, "SELECT 1"));
        }

        await server.DisposeAsync();
        await server.DisposeAsync(); // Idempotent.

        Assert.False(Directory.Exists(dataDirectory), $"{dataDirectory} still exists");
        Assert.False(Directory.Exists(rootDirectory), $"{rootDirectory} still exists");
        Assert.True(await HasExitedAsync(postmasterPid), $"postmaster {postmasterPid} still runs");
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        await Assert.ThrowsAsync<SocketException>(async () => await client.ConnectAsync("127.0.0.1", port, timeout.Token));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => server.CreateDatabaseAsync("after_dispose"));
    }

    [Fact]
    public async Task Servers_started_side_by_side_get_their_own_ports_and_folders()
    {
        var servers = await Task.WhenAll(PostgresServer.StartAsync(TestContext.Current.CancellationToken), PostgresServer.StartAsync(TestContext.Current.CancellationToken));
        try
        {
            Assert.NotEqual(servers[0].Port, servers[1].Port);
            Assert.NotEqual(servers[0].DataDirectory, servers[1].DataDirectory);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// True once the process is gone or a zombie: the postmaster is not our child, so whoever inherited it
    /// (init here) reaps it on its own schedule.
    /// </summary>
    private static async Task<bool> HasExitedAsync(int pid)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string stat;
            try
            {
                stat = await File.ReadAllTextAsync($"/proc/{pid}/stat", TestContext.Current.CancellationToken);
            }
            catch (IOException)
            {
                return true;
            }

            // Format: "pid (comm) state ..."; comm may hold spaces, so read the state after the last ')'.
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            if (state is "Z" or "X")
            {
                return true;
            }

            if (clock.Elapsed > ConnectTimeout)
            {
                return false;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }
}
