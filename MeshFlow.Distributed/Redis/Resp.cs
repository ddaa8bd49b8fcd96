using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

/// <summary>
/// Where and as whom the bus's own connections (<see cref="RedisEventPublisher"/>, <see cref="RedisEventSubscriber"/>)
/// reach the multiplexer's server, and the handshake that opens one; <see cref="ClientName"/> also names the run
/// queue's blocking connection.
/// </summary>
internal sealed class RespEndpoint
{
    private readonly string? _user;
    private readonly string? _password;
    private readonly ConfigurationOptions _options;

    private RespEndpoint(EndPoint endpoint, ConfigurationOptions options)
    {
        EndPoint = endpoint;
        _options = options;
        _user = options.User;
        _password = options.Password;
        Database = options.DefaultDatabase ?? 0;
        Timeout = TimeSpan.FromMilliseconds(Math.Max(options.ConnectTimeout, 1000));
    }

    public EndPoint EndPoint { get; }

    /// <summary>
    /// The client name of a connection of MeshFlow's own made for <paramref name="role"/>: the multiplexer's client name
    /// (or <c>meshflow</c>), a dash and the role, so that <c>CLIENT LIST</c> tells which process and what for.
    /// </summary>
    public static string ClientName(ConfigurationOptions options, string role) =>
        (string.IsNullOrWhiteSpace(options.ClientName) ? "meshflow" : options.ClientName) + "-" + role;

    public int Database { get; }

    /// <summary>How long a connection and its handshake may take, and a blocking send may wait.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// The multiplexer's one plain endpoint, or null where a connection of the bus's own cannot be used: TLS, more than
    /// one endpoint, a proxy, or Sentinel.
    /// </summary>
    public static RespEndpoint? For(IConnectionMultiplexer multiplexer)
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        return For(ConfigurationOptions.Parse(multiplexer.Configuration));
    }

    /// <summary>The one plain endpoint of <paramref name="options"/>, or null (see <see cref="For(IConnectionMultiplexer)"/>).</summary>
    public static RespEndpoint? For(ConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options is { Ssl: false, Proxy: Proxy.None, ServiceName: null, EndPoints.Count: 1 }
            ? new RespEndpoint(options.EndPoints[0], options)
            : null;
    }

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <see cref="OpenAsync"/>, tried again while it fails, after 0.5 s, then twice as long each time up to 10 s; null
    /// once <paramref name="stopped"/> says the connection is no longer wanted. A server that refuses what the connection
    /// needs (see <see cref="IsRefusal"/>) is not tried again: its <see cref="RedisServerException"/> is thrown.
    /// </summary>
    /// <param name="role">What the connection is for, the end of its client name.</param>
    /// <param name="selectDatabase">Whether the connection needs the configured database.</param>
    /// <param name="commands">Commands that must answer without an error.</param>
    /// <param name="unanswered">Bytes sent last, whose replies are not read.</param>
    /// <param name="stopped">Whether the connection is no longer wanted.</param>
    /// <param name="firstFailure">Told the first failure and the delay before the next try.</param>
    /// <param name="blockingReads">See <see cref="OpenAsync"/>.</param>
    public async Task<Socket?> OpenWithRetriesAsync(string role, bool selectDatabase, IReadOnlyList<string[]> commands, ReadOnlyMemory<byte> unanswered,
        Func<bool> stopped, Action<TimeSpan, Exception> firstFailure, bool blockingReads = false)
    {
        for (var failures = 0; ; )
        {
            try
            {
                return await OpenAsync(role, selectDatabase, commands, unanswered, blockingReads).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or TimeoutException
                || (e is RedisServerException server && !IsRefusal(server)))
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(++failures, 6))));
                if (failures == 1)
                {
                    firstFailure(delay, e);
                }

                if (stopped())
                {
                    return null;
                }

                await Task.Delay(delay).ConfigureAwait(false);
                if (stopped())
                {
                    return null;
                }
            }
        }
    }

    /// <summary>Whether the server refused a command the connection needs (<c>CLIENT</c>, or an unknown command).</summary>
    public static bool IsRefusal(RedisServerException e) =>
        e.Message.Contains("CLIENT", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("unknown command", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Connects and runs the handshake: <c>AUTH</c> when configured, <c>SELECT</c> when <paramref name="selectDatabase"/>
    /// and the database is not 0, <c>CLIENT SETNAME</c> (the multiplexer's client name, or <c>meshflow</c>, then
    /// <c>-</c><paramref name="role"/>), then <paramref name="commands"/>, each of which must answer
    /// without an error; then sends <paramref name="unanswered"/>, whose replies are not read.
    /// </summary>
    /// <param name="role">What the connection is for, the end of its client name.</param>
    /// <param name="selectDatabase">Whether the connection needs the configured database.</param>
    /// <param name="commands">Commands that must answer without an error.</param>
    /// <param name="unanswered">Bytes sent last, whose replies are not read.</param>
    /// <param name="blockingReads">
    /// For a connection read by a thread of its own with <see cref="Socket.Receive(Span{byte})"/>: the socket is made,
    /// connected and greeted with synchronous calls only and has no send timeout, so it stays a blocking socket and a
    /// read waits in the kernel, which wakes the reading thread itself. Once a socket has done one asynchronous call (or
    /// had a timeout set), .NET makes it non-blocking for good and emulates blocking reads: the runtime's socket thread
    /// is woken first and then wakes the reader, a hand-off and an allocation for every read that waits. The connect
    /// and the greeting's replies wait at most <see cref="Timeout"/> each, as on the other connections.
    /// </param>
    /// <exception cref="TimeoutException">The server did not accept the connection, or answer its greeting, in time.</exception>
    /// <exception cref="RedisServerException">A command was refused (its arguments are not in the message when it is AUTH).</exception>
    public async Task<Socket> OpenAsync(string role, bool selectDatabase, IReadOnlyList<string[]> commands, ReadOnlyMemory<byte> unanswered,
        bool blockingReads = false)
    {
        var socket = blockingReads
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendTimeout = (int)Timeout.TotalMilliseconds };
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            if (blockingReads)
            {
                ConnectWithin(socket, role);
            }
            else
            {
                await socket.ConnectAsync(EndPoint, timeout.Token).ConfigureAwait(false);
            }

            var handshake = new List<string[]>();
            if (_password is not null)
            {
                handshake.Add(_user is null ? ["AUTH", _password] : ["AUTH", _user, _password]);
            }

            if (selectDatabase && Database != 0)
            {
                handshake.Add(["SELECT", Database.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            handshake.Add(["CLIENT", "SETNAME", ClientName(_options, role)]);
            handshake.AddRange(commands);
            var request = new RespWriter();
            foreach (var command in handshake)
            {
                request.Command(command);
            }

            request.Append(unanswered.Span);
            if (blockingReads)
            {
                for (var sent = 0; sent < request.Written.Length;)
                {
                    sent += socket.Send(request.Written[sent..]);
                }
            }
            else
            {
                await socket.SendAsync(request.Written.ToArray(), timeout.Token).ConfigureAwait(false);
            }

            // One line each (+OK or -ERR ...); AUTH's error must not be shown with its arguments, and is not: Redis never
            // echoes them.
            var replies = new RespReader();
            for (var i = 0; i < handshake.Count;)
            {
                int read;
                if (blockingReads)
                {
                    // poll(2) waits without touching the socket's mode.
                    read = socket.Poll(Timeout, SelectMode.SelectRead)
                        ? socket.Receive(replies.FreeSpace(512).Span)
                        : throw new TimeoutException($"Redis did not answer the {role}'s handshake within {Timeout.TotalSeconds:0} s");
                }
                else
                {
                    read = await socket.ReceiveAsync(replies.FreeSpace(512), timeout.Token).ConfigureAwait(false);
                }

                if (read == 0)
                {
                    throw new IOException($"Redis closed the {role}'s connection during its handshake");
                }

                replies.Advance(read);
                while (i < handshake.Count && replies.TryNext(out var error))
                {
                    if (error is not null)
                    {
                        var name = handshake[i][0];
                        throw new RedisServerException($"{name} {(name == "AUTH" ? string.Empty : string.Join(' ', handshake[i][1..]))}: {error}".Trim());
                    }

                    i++;
                }
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // A blocking connect waits as long as the kernel retries its SYN (about two minutes for a host that drops them).
    // Socket.SendTimeout, or a non-blocking connect, would make .NET take the socket over as one of its asynchronous
    // ones for good; SO_SNDTIMEO set on the socket itself, which .NET does not see, makes Linux give the connect up
    // after Timeout instead (connect(2) then fails with EINPROGRESS), and is cleared once connected.
    private void ConnectWithin(Socket socket, string role)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            socket.Connect(EndPoint);
            return;
        }

        SetSendTimeout(socket, Timeout);
        try
        {
            socket.Connect(EndPoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.InProgress)
        {
            throw new TimeoutException($"Redis did not accept the {role}'s connection within {Timeout.TotalSeconds:0} s", e);
        }

        SetSendTimeout(socket, TimeSpan.Zero);
    }

    private const int SolSocket = 1; // SOL_SOCKET on Linux
    private const int SoSndTimeo = 21; // SO_SNDTIMEO on Linux

    // A struct timeval of a 64-bit Linux process: seconds and microseconds, each a long; zero means no timeout.
    private static void SetSendTimeout(Socket socket, TimeSpan timeout)
    {
        Span<byte> timeval = stackalloc byte[16];
        var seconds = timeout.Ticks / TimeSpan.TicksPerSecond;
        var microseconds = timeout.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond;
        MemoryMarshal.Write(timeval, in seconds);
        MemoryMarshal.Write(timeval[8..], in microseconds);
        socket.SetRawSocketOption(SolSocket, SoSndTimeo, timeval);
    }
}

/// <summary>Encodes Redis commands (RESP arrays of bulk strings) into a growing buffer.</summary>
internal sealed class RespWriter
{
    private byte[] _buffer = new byte[4096];

    /// <summary>How many bytes are written.</summary>
    public int Length { get; private set; }

    /// <summary>Everything written.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>What was written from <paramref name="start"/> on.</summary>
    public ReadOnlySpan<byte> From(int start) => _buffer.AsSpan(start, Length - start);

    /// <summary>Forgets what was written from <paramref name="length"/> on.</summary>
    public void Truncate(int length) => Length = length;

    /// <summary>A whole command of text arguments.</summary>
    public void Command(params ReadOnlySpan<string> arguments)
    {
        Header(arguments.Length);
        foreach (var argument in arguments)
        {
            Bulk(argument);
        }
    }

    /// <summary>The start of a command of <paramref name="count"/> arguments.</summary>
    public void Header(int count)
    {
        Append("*"u8);
        AppendNumber(count);
        Append("\r\n"u8);
    }

    /// <summary>The start of an argument of <paramref name="length"/> bytes, which the caller then appends, with CRLF.</summary>
    public void BulkHeader(int length)
    {
        Append("$"u8);
        AppendNumber(length);
        Append("\r\n"u8);
    }

    public void Bulk(ReadOnlySpan<byte> value)
    {
        BulkHeader(value.Length);
        Append(value);
        Append("\r\n"u8);
    }

    public void Bulk(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        BulkHeader(length);
        AppendText(value, length);
        Append("\r\n"u8);
    }

    public void AppendNumber(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        Append(digits[..written]);
    }

    /// <summary>Appends <paramref name="text"/>, whose UTF-8 length the caller knows.</summary>
    public void AppendText(string text, int byteCount)
    {
        Reserve(byteCount);
        Length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(Length));
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    private void Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }
    }
}

/// <summary>
/// Splits what a Redis connection receives into replies (RESP2): either only whether each was an error
/// (<see cref="TryNext"/>), or the parts of a flat array such as a pub/sub message (<see cref="TryNextArray"/>).
/// </summary>
internal sealed class RespReader
{
    private byte[] _data = new byte[4096];
    private int _start;
    private int _end;

    /// <summary>Room for at least <paramref name="size"/> more bytes, to receive into and then <see cref="Advance"/>.</summary>
    public Memory<byte> FreeSpace(int size)
    {
        if (_start > 0)
        {
            _data.AsSpan(_start, _end - _start).CopyTo(_data);
            _end -= _start;
            _start = 0;
        }

        if (_data.Length - _end < size)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _end + size));
        }

        return _data.AsMemory(_end);
    }

    /// <summary>Takes in <paramref name="count"/> bytes received into <see cref="FreeSpace"/>.</summary>
    public void Advance(int count) => _end += count;

    /// <summary>Takes in <paramref name="bytes"/>.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(FreeSpace(bytes.Length).Span);
        Advance(bytes.Length);
    }

    /// <summary>The next whole reply, if one is in: <paramref name="error"/> is its message if it is an error.</summary>
    public bool TryNext(out string? error)
    {
        var position = _start;
        if (!Skip(ref position, out error))
        {
            return false;
        }

        _start = position;
        return true;
    }

    /// <summary>
    /// The next whole reply, if one is in. An array's first <paramref name="parts"/>.Length elements that are bulk
    /// strings, simple strings or integers are given as ranges of <see cref="Slice"/> (valid until more is received), and
    /// <paramref name="count"/> is the array's length; any other reply has a count of -1, and <paramref name="error"/> if
    /// it is an error.
    /// </summary>
    public bool TryNextArray(Span<Range> parts, out int count, out string? error)
    {
        count = -1;
        var position = _start;
        var line = Line(position, out var next);
        if (line.IsEmpty || line[0] != (byte)'*')
        {
            if (!Skip(ref position, out error))
            {
                return false;
            }

            _start = position;
            return true;
        }

        error = null;
        var length = Number(line[1..]);
        position = next;
        for (var i = 0; i < length; i++)
        {
            var element = Line(position, out next);
            if (element.IsEmpty)
            {
                return false;
            }

            if (element[0] == (byte)'$')
            {
                var size = Number(element[1..]);
                if (_end - next < Math.Max(size, 0) + 2)
                {
                    return false;
                }

                if (i < parts.Length)
                {
                    parts[i] = size < 0 ? default : new Range(next, next + size);
                }

                position = size < 0 ? next : next + size + 2;
            }
            else
            {
                if (i < parts.Length && element[0] is (byte)'+' or (byte)':')
                {
                    parts[i] = new Range(position + 1, next - 2);
                }

                if (!Skip(ref position, out _))
                {
                    return false;
                }
            }
        }

        count = length;
        _start = position;
        return true;
    }

    /// <summary>Bytes of what was received (see <see cref="TryNextArray"/>).</summary>
    public ReadOnlySpan<byte> Slice(Range range) => _data.AsSpan(range);

    // The line (without CRLF) at position, and where the next one starts; empty if it is not all in.
    private ReadOnlySpan<byte> Line(int position, out int next)
    {
        var rest = _data.AsSpan(position, _end - position);
        var newline = rest.IndexOf("\r\n"u8);
        next = position + newline + 2;
        return newline < 1 ? default : rest[..newline];
    }

    private bool Skip(ref int position, out string? error)
    {
        error = null;
        var head = Line(position, out var next);
        if (head.IsEmpty)
        {
            return false;
        }

        position = next;
        switch (head[0])
        {
            case (byte)'+' or (byte)':':
                return true;
            case (byte)'-':
                error = Encoding.UTF8.GetString(head[1..]);
                return true;
            case (byte)'$':
                var length = Number(head[1..]);
                if (length < 0)
                {
                    return true;
                }

                if (_end - position < length + 2)
                {
                    return false;
                }

                position += length + 2;
                return true;
            case (byte)'*':
                var count = Number(head[1..]);
                for (var i = 0; i < count; i++)
                {
                    if (!Skip(ref position, out _))
                    {
                        return false;
                    }
                }

                return true;
            default:
                throw new InvalidDataException("an unexpected reply from Redis on the run event bus's own connection");
        }
    }

    private static int Number(ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(text, out int value, out var consumed) && consumed == text.Length
            ? value
            : throw new InvalidDataException("an unreadable length in a reply from Redis on the run event bus's own connection");
}
