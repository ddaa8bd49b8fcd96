using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MeshFlow.Distributed.Redis;
using MeshFlow.Distributed.Tests.Support;
using MeshFlow.Testing.Redis;

namespace MeshFlow.Distributed.Tests.Redis;

/// <summary>
/// MeshFlow's own Redis connections: one opened for blocking reads stays a blocking socket at the OS level (so a read
/// on its thread waits in the kernel), the others are the runtime's non-blocking sockets; both are greeted alike.
/// </summary>
public sealed class RespEndpointTests(RedisFixture redis) : IAsyncLifetime
{
    private const int GetFlags = 3;
    private const int NonBlocking = 0x800; // O_NONBLOCK on Linux
    private readonly RedisConnections _connections = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _connections.DisposeAsync();

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A_connection_for_blocking_reads_is_a_blocking_socket_and_answers_as_the_others(bool blockingReads, bool osNonBlocking)
    {
        var endpoint = RespEndpoint.For(await _connections.ConnectAsync(redis.ConnectionString))!;

        using var socket = await endpoint.OpenAsync("probe", selectDatabase: false, [["PING"]], ReadOnlyMemory<byte>.Empty, blockingReads);

        var flags = Fcntl((int)socket.Handle, GetFlags, 0);
        Assert.True(flags >= 0, $"fcntl failed: {Marshal.GetLastPInvokeError()}");
        Assert.Equal(osNonBlocking, (flags & NonBlocking) != 0);

        // The greeting went through (PING answered +PONG as the handshake required); the connection still serves.
        socket.Send("*1\r\n$4\r\nPING\r\n"u8);
        var reply = new byte[16];
        var read = socket.Receive(reply);
        Assert.Equal("+PONG\r\n", System.Text.Encoding.ASCII.GetString(reply, 0, read));
    }

    [Fact]
    public async Task A_refused_greeting_on_a_blocking_connection_names_the_command()
    {
        var endpoint = RespEndpoint.For(await _connections.ConnectAsync(redis.ConnectionString))!;

        var error = await Assert.ThrowsAsync<StackExchange.Redis.RedisServerException>(() =>
            endpoint.OpenAsync("probe", selectDatabase: false, [["NOSUCHCOMMAND", "x"]], ReadOnlyMemory<byte>.Empty, blockingReads: true));

        Assert.StartsWith("NOSUCHCOMMAND x:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blocking_connection_to_a_server_that_never_answers_gives_up_at_the_connect_timeout()
    {
        // A listener whose accept queue is full: Linux drops further SYNs, as a host that never answers does, and a
        // plain blocking connect would wait for the kernel's retries (about two minutes).
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            while (true)
            {
                Assert.True(fillers.Count < 64, "the listener's accept queue never filled");
                var filler = new Socket(SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                fillers.Add(filler);
                try
                {
                    filler.Connect(listener.LocalEndPoint!);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
                {
                    if (!filler.Poll(TimeSpan.FromMilliseconds(300), SelectMode.SelectWrite))
                    {
                        break; // this one's SYN was dropped: the next connection's will be too
                    }
                }
            }

            var endpoint = RespEndpoint.For(StackExchange.Redis.ConfigurationOptions.Parse($"127.0.0.1:{port},connectTimeout=1000"))!;

            var error = await Assert.ThrowsAsync<TimeoutException>(() => Task.Run(() =>
                    endpoint.OpenAsync("probe", selectDatabase: false, [], ReadOnlyMemory<byte>.Empty, blockingReads: true))
                .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

            // Not the wait above running out: the connect itself gave up, saying what it waited for.
            Assert.Equal("Redis did not accept the probe's connection within 1 s", error.Message);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task A_blocking_connection_to_a_closed_port_is_refused()
    {
        int port;
        using (var closed = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)closed.LocalEndPoint!).Port;
        }

        var endpoint = RespEndpoint.For(StackExchange.Redis.ConfigurationOptions.Parse($"127.0.0.1:{port},connectTimeout=1000"))!;

        var error = await Assert.ThrowsAsync<SocketException>(() =>
            endpoint.OpenAsync("probe", selectDatabase: false, [], ReadOnlyMemory<byte>.Empty, blockingReads: true));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);
}
