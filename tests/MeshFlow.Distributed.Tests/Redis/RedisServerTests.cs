using System.Diagnostics;
using MeshFlow.LocalServers;
using MeshFlow.Testing.Redis;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>The throwaway Redis server the tests run against: started, killed, restarted and cleaned up.</summary>
public sealed class RedisServerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Started_server_answers_and_dispose_leaves_neither_process_nor_files()
    {
        var server = await RedisServer.StartAsync(Token);
        var pid = server.ProcessId;
        Assert.NotNull(pid);
        using (var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            Assert.Equal("PONG", (await connection.GetDatabase().ExecuteAsync("PING")).ToString());
        }

        await server.DisposeAsync();
        await server.DisposeAsync();

        Assert.False(IsRunning(pid.Value));
        Assert.False(Directory.Exists(server.DataDirectory));
    }

    [Fact]
    public async Task Killed_server_restarts_on_the_same_port_empty()
    {
        await using var server = await RedisServer.StartAsync(Token);
        var port = server.Port;
        using (var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            await connection.GetDatabase().StringSetAsync("kept?", "no");
        }

        var pid = server.ProcessId!.Value;
        await server.KillAsync();
        Assert.Null(server.ProcessId);
        Assert.False(IsRunning(pid));

        await server.RestartAsync(Token);

        Assert.Equal(port, server.Port);
        using (var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            Assert.False(await connection.GetDatabase().KeyExistsAsync("kept?"));
        }
    }

    [Fact]
    public async Task Password_protected_server_refuses_clients_without_it()
    {
        await using var server = await RedisServer.StartAsync(new RedisServerOptions { Password = "s3cret" }, Token);

        using (var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            await connection.GetDatabase().PingAsync();
        }

        await Assert.ThrowsAnyAsync<RedisException>(async () =>
        {
            using var anonymous = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port},connectTimeout=1000,connectRetry=1");
            await anonymous.GetDatabase().PingAsync();
        });
    }

    [Fact]
    public async Task Missing_binary_is_reported_with_how_to_install_it()
    {
        var error = await Assert.ThrowsAsync<RedisNotAvailableException>(
            () => RedisServer.StartAsync(new RedisServerOptions { ServerPath = "/nonexistent/redis-server" }, Token));
        Assert.StartsWith("redis-server not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y redis-server", error.Message, StringComparison.Ordinal);

        Assert.Null(RedisToolchain.Locate(null, LocalServerSettings.RedisServer, out var notOnPath, searchPath: "/nonexistent-bin"));
        Assert.Equal("redis-server not found on PATH: apt-get install -y redis-server (or set MESHFLOW_REDIS_SERVER to its path)", notOnPath?.ToString());
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && process.ProcessName.StartsWith("redis", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
