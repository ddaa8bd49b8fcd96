using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Distributed.Tests.Support;

/// <summary>
/// A TCP proxy in front of a real Redis that refuses blocking reads, as some Redis proxies and managed services do:
/// every command passes through untouched except <c>XREADGROUP ... BLOCK</c>, which Redis is sent in a form it rejects
/// (an unknown command), so the client gets a server error in its place, in order with the other replies.
/// </summary>
/// <remarks>
/// Commands are read as RESP arrays of bulk strings, the only form StackExchange.Redis sends; replies and pushes are
/// copied back unread.
/// </remarks>
internal sealed class BlockingReadRefusingProxy : IAsyncDisposable
{
    /// <summary>What Redis is sent instead of a blocking read.</summary>
    public const string RefusedCommand = "PROXY-REFUSES-BLOCKING-READS";

    private static readonly byte[] Refusal = System.Text.Encoding.ASCII.GetBytes($"*1\r\n${RefusedCommand.Length}\r\n{RefusedCommand}\r\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private int _refused;
    private int _forwarded;

    public BlockingReadRefusingProxy(int redisPort)
    {
        _server = new IPEndPoint(IPAddress.Loopback, redisPort);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many blocking reads were refused.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>How many <c>XREADGROUP</c> commands without <c>BLOCK</c> were passed on.</summary>
    public int ForwardedReads => Volatile.Read(ref _forwarded);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await Task.WhenAll([_accepting, .. Pumps()]).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private Task[] Pumps()
    {
        lock (_sockets)
        {
            return [.. _pumps];
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.NoDelay = true;
            lock (_sockets)
            {
                _sockets.Add(client);
                _sockets.Add(server);
                _pumps.Add(RelayAsync(client, server));
            }
        }
    }

    private async Task RelayAsync(Socket client, Socket server)
    {
        try
        {
            await server.ConnectAsync(_server, _stopping.Token).ConfigureAwait(false);
            await using var clientStream = new NetworkStream(client, ownsSocket: false);
            await using var serverStream = new NetworkStream(server, ownsSocket: false);
            var replies = Quietly(serverStream.CopyToAsync(clientStream, _stopping.Token));
            var commands = Quietly(ForwardCommandsAsync(PipeReader.Create(clientStream, new StreamPipeReaderOptions(leaveOpen: true)), serverStream));

            // Once either side is done, closing both ends the other.
            await Task.WhenAny(replies, commands).ConfigureAwait(false);
            client.Dispose();
            server.Dispose();
            await Task.WhenAll(replies, commands).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            // The proxy stops, or Redis went away before the connection was made.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    private static async Task Quietly(Task pump)
    {
        try
        {
            await pump.ConfigureAwait(false);
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            // One side went away, or the proxy stops.
        }
    }

    private static bool IsDisconnect(Exception e) =>
        e is OperationCanceledException or IOException or SocketException or ObjectDisposedException;

    private async Task ForwardCommandsAsync(PipeReader commands, Stream server)
    {
        while (true)
        {
            var read = await commands.ReadAsync(_stopping.Token).ConfigureAwait(false);
            var buffer = read.Buffer;
            while (TryReadCommand(ref buffer, out var command, out var kind))
            {
                if (kind == ReadKind.Blocking)
                {
                    Interlocked.Increment(ref _refused);
                    await server.WriteAsync(Refusal, _stopping.Token).ConfigureAwait(false);
                    continue;
                }

                if (kind == ReadKind.NonBlocking)
                {
                    Interlocked.Increment(ref _forwarded);
                }

                foreach (var segment in command)
                {
                    await server.WriteAsync(segment, _stopping.Token).ConfigureAwait(false);
                }
            }

            commands.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
        }
    }

    private enum ReadKind
    {
        None,
        NonBlocking,
        Blocking,
    }

    // One whole command from the front of `buffer` (then removed from it), and whether it is an XREADGROUP with BLOCK.
    private static bool TryReadCommand(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> command, out ReadKind kind)
    {
        command = default;
        kind = ReadKind.None;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySpan<byte> header, "\r\n"u8))
        {
            return false;
        }

        if (header.Length < 2 || header[0] != (byte)'*' || !Utf8Parser.TryParse(header[1..], out int count, out _))
        {
            throw new InvalidDataException("The proxy reads commands sent as RESP arrays only.");
        }

        var isXReadGroup = false;
        var blocks = false;
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadTo(out ReadOnlySpan<byte> lengthLine, "\r\n"u8))
            {
                return false;
            }

            if (lengthLine.Length < 2 || lengthLine[0] != (byte)'$' || !Utf8Parser.TryParse(lengthLine[1..], out int length, out _))
            {
                throw new InvalidDataException("The proxy reads commands of bulk strings only.");
            }

            if (reader.Remaining < length + 2)
            {
                return false;
            }

            var argument = reader.UnreadSequence.Slice(0, length);
            isXReadGroup |= i == 0 && Is(argument, "XREADGROUP"u8);
            blocks |= i > 0 && Is(argument, "BLOCK"u8);
            reader.Advance(length + 2);
        }

        command = buffer.Slice(0, reader.Position);
        buffer = buffer.Slice(reader.Position);
        kind = !isXReadGroup ? ReadKind.None : blocks ? ReadKind.Blocking : ReadKind.NonBlocking;
        return true;
    }

    private static bool Is(ReadOnlySequence<byte> argument, ReadOnlySpan<byte> upperCase)
    {
        if (argument.Length != upperCase.Length)
        {
            return false;
        }

        Span<byte> text = stackalloc byte[upperCase.Length];
        argument.CopyTo(text);
        return System.Text.Ascii.EqualsIgnoreCase(text, upperCase);
    }
}
