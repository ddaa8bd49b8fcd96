using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MeshFlow.Runtime;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

/// <summary>
/// Publishes run events on a Redis connection of its own: an event's commands are written to the socket by the thread
/// that publishes it, and Redis is asked for no replies (<c>CLIENT REPLY OFF</c>) except for the events a caller waits
/// for. A token delta then costs one send and no reply, where the shared multiplexer costs a hand-off to its writer
/// thread and a reply to read for each command.
/// </summary>
/// <remarks>
/// <para>
/// While the connection is down (not yet connected, lost, or refused), <see cref="TryPublish"/> returns false and the
/// caller publishes through the multiplexer; the connection is made, and remade after a loss, in the background. Before
/// the first event goes out on a new connection, a <c>PING</c> through the multiplexer must come back: every event
/// published through the multiplexer before that is then in Redis, so a run's events stay in order across the switch.
/// Events published meanwhile are held and sent when the <c>PING</c> returns.
/// </para>
/// <para>
/// A server without <c>CLIENT REPLY</c> (some managed services rename or disable <c>CLIENT</c>), TLS, or more than one
/// endpoint: no connection of its own is used, and every event goes through the multiplexer.
/// </para>
/// </remarks>
internal sealed class RedisEventPublisher : IDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly EndPoint _endpoint;
    private readonly string? _user;
    private readonly string? _password;
    private readonly int _database;
    private readonly IConnectionMultiplexer _multiplexer;
    private readonly ILogger? _logger;
    private readonly TimeSpan _timeout;
    private readonly object _gate = new();

    // Under _gate: the connection, what it is doing, the groups of commands waiting for their replies (in the order
    // they were sent), and the commands held while the connection drains the multiplexer.
    private readonly Queue<Awaited> _awaited = new();
    private Socket? _socket;
    private State _state = State.Down;
    private byte[] _buffer = new byte[4096];
    private int _length;
    private int _failures;

    private RedisEventPublisher(EndPoint endpoint, ConfigurationOptions options, IConnectionMultiplexer multiplexer, ILogger? logger)
    {
        _endpoint = endpoint;
        _user = options.User;
        _password = options.Password;
        _database = options.DefaultDatabase ?? 0;
        _multiplexer = multiplexer;
        _logger = logger;
        _timeout = TimeSpan.FromMilliseconds(Math.Max(options.ConnectTimeout, 1000));
    }

    private enum State
    {
        Down,
        Connecting,
        Draining,
        Up,
        Unsupported,
        Disposed,
    }

    /// <summary>Whether events currently go out on the connection of its own.</summary>
    public bool IsUp
    {
        get
        {
            lock (_gate)
            {
                return _state == State.Up;
            }
        }
    }

    /// <summary>Whether the server refused what the connection needs, so that every event goes through the multiplexer.</summary>
    internal bool Refused
    {
        get
        {
            lock (_gate)
            {
                return _state == State.Unsupported;
            }
        }
    }

    /// <summary>A publisher for <paramref name="multiplexer"/>'s server, or null where it cannot have one (see remarks).</summary>
    public static RedisEventPublisher? For(IConnectionMultiplexer multiplexer, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        var options = ConfigurationOptions.Parse(multiplexer.Configuration);
        return options is { Ssl: false, Proxy: Proxy.None, ServiceName: null, EndPoints.Count: 1 }
            ? new RedisEventPublisher(options.EndPoints[0], options, multiplexer, logger)
            : null;
    }

    /// <summary>
    /// Writes the commands that keep and relay <paramref name="evt"/>: <c>XADD</c> (entry id <c>&lt;seq&gt;-0</c>, trimmed
    /// to about <paramref name="maxLength"/>), <c>EXPIRE</c> when <paramref name="retention"/> is given, and
    /// <c>PUBLISH</c>. False when the connection is not up: nothing was written, and the caller publishes elsewhere.
    /// </summary>
    /// <param name="key">The run's stream and channel.</param>
    /// <param name="evt">The event.</param>
    /// <param name="maxLength">About how many events the stream keeps.</param>
    /// <param name="retention">The stream's new expiry; null leaves it.</param>
    /// <param name="awaited">Whether the caller waits for Redis to have run the commands.</param>
    /// <param name="kept">When <paramref name="awaited"/>: completes once Redis has run the commands (and so every
    /// command written before them), or fails if the connection is lost first. Otherwise null.</param>
    public bool TryPublish(string key, RunEventEnvelope evt, int maxLength, TimeSpan? retention, bool awaited, out Task? kept)
    {
        kept = null;
        lock (_gate)
        {
            if (_state is not (State.Up or State.Draining))
            {
                if (_state == State.Down)
                {
                    _state = State.Connecting;
                    _ = Task.Run(ConnectAsync);
                }

                return false;
            }

            var start = _length;
            if (awaited)
            {
                Command("CLIENT"u8, "REPLY"u8, "ON"u8);
            }

            WriteCommands(key, evt, maxLength, retention);
            if (awaited)
            {
                Command("CLIENT"u8, "REPLY"u8, "OFF"u8);
                var group = new Awaited(retention is null ? 3 : 4);
                _awaited.Enqueue(group);
                kept = group.Task;
            }

            if (_state == State.Draining)
            {
                // Held until the multiplexer's PING returns (see remarks).
                return true;
            }

            try
            {
                _socket!.Send(_buffer.AsSpan(start, _length - start));
                _length = start;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Nothing of it may have reached Redis: the caller's wait fails, as a lost multiplexer connection fails it.
                _length = start;
                LostLocked(e);
            }

            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _state = State.Disposed;
            CloseLocked(new ObjectDisposedException(nameof(RedisEventPublisher)));
        }
    }

    private void WriteCommands(string key, RunEventEnvelope evt, int maxLength, TimeSpan? retention)
    {
        Span<byte> seq = stackalloc byte[24];
        Utf8Formatter.TryFormat(evt.Seq, seq, out var seqLength);
        seq = seq[..seqLength];
        Span<byte> id = stackalloc byte[26];
        seq.CopyTo(id);
        "-0"u8.CopyTo(id[seqLength..]);
        id = id[..(seqLength + 2)];
        Span<byte> max = stackalloc byte[12];
        Utf8Formatter.TryFormat(maxLength, max, out var maxDigits);

        // XADD key MAXLEN ~ max id seq <seq> kind <kind> json <json>
        Header(12);
        Bulk("XADD"u8);
        Bulk(key);
        Bulk("MAXLEN"u8);
        Bulk("~"u8);
        Bulk(max[..maxDigits]);
        Bulk(id);
        Bulk("seq"u8);
        Bulk(seq);
        Bulk("kind"u8);
        Bulk(evt.Kind);
        Bulk("json"u8);
        Bulk(evt.Json);

        if (retention is { } ttl)
        {
            Span<byte> seconds = stackalloc byte[20];
            Utf8Formatter.TryFormat((long)Math.Ceiling(ttl.TotalSeconds), seconds, out var secondsLength);
            Header(3);
            Bulk("EXPIRE"u8);
            Bulk(key);
            Bulk(seconds[..secondsLength]);
        }

        // PUBLISH key "<seq>\n<kind>\n<json>"
        Header(3);
        Bulk("PUBLISH"u8);
        Bulk(key);
        var kind = Encoding.UTF8.GetByteCount(evt.Kind);
        var json = Encoding.UTF8.GetByteCount(evt.Json);
        var length = seqLength + 1 + kind + 1 + json;
        BulkHeader(length);
        Append(seq);
        Append("\n"u8);
        AppendText(evt.Kind, kind);
        Append("\n"u8);
        AppendText(evt.Json, json);
        Append("\r\n"u8);
    }

    private void Command(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        Header(3);
        Bulk(a);
        Bulk(b);
        Bulk(c);
    }

    private void Header(int count)
    {
        Append("*"u8);
        AppendNumber(count);
        Append("\r\n"u8);
    }

    private void BulkHeader(int length)
    {
        Append("$"u8);
        AppendNumber(length);
        Append("\r\n"u8);
    }

    private void Bulk(ReadOnlySpan<byte> value)
    {
        BulkHeader(value.Length);
        Append(value);
        Append("\r\n"u8);
    }

    private void Bulk(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        BulkHeader(length);
        AppendText(value, length);
        Append("\r\n"u8);
    }

    private void AppendNumber(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        Append(digits[..written]);
    }

    private void AppendText(string text, int byteCount)
    {
        Reserve(byteCount);
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
    }

    private async Task ConnectAsync()
    {
        var delay = TimeSpan.Zero;
        while (true)
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay).ConfigureAwait(false);
            }

            Socket? socket = null;
            try
            {
                socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendTimeout = (int)_timeout.TotalMilliseconds };
                using (var timeout = new CancellationTokenSource(_timeout))
                {
                    await socket.ConnectAsync(_endpoint, timeout.Token).ConfigureAwait(false);
                    await HandshakeAsync(socket, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (RedisServerException e) when (e.Message.Contains("CLIENT", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("unknown command", StringComparison.OrdinalIgnoreCase))
            {
                socket?.Dispose();
                lock (_gate)
                {
                    if (_state != State.Disposed)
                    {
                        _state = State.Unsupported;
                    }
                }

                if (_logger is not null)
                {
                    RedisRuntimeLog.PublisherUnsupported(_logger, e.Message);
                }

                return;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or RedisServerException)
            {
                socket?.Dispose();
                _failures++;
                delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(_failures, 6))));
                if (_logger is not null && _failures == 1)
                {
                    RedisRuntimeLog.PublisherConnectFailed(_logger, delay, e);
                }

                lock (_gate)
                {
                    if (_state == State.Disposed)
                    {
                        return;
                    }
                }

                continue;
            }

            lock (_gate)
            {
                if (_state == State.Disposed)
                {
                    socket.Dispose();
                    return;
                }

                _socket = socket;
                _state = State.Draining;
                _failures = 0;
            }

            var reader = new Thread(() => Read(socket)) { IsBackground = true, Name = "meshflow redis publisher" };
            reader.Start();
            await DrainMultiplexerAsync(socket).ConfigureAwait(false);
            return;
        }
    }

    // AUTH, SELECT and a name when configured; then CLIENT REPLY ON must answer +OK, and CLIENT REPLY OFF needs no answer.
    private async Task HandshakeAsync(Socket socket, CancellationToken cancellationToken)
    {
        var commands = new List<string[]>();
        if (_password is not null)
        {
            commands.Add(_user is null ? ["AUTH", _password] : ["AUTH", _user, _password]);
        }

        if (_database != 0)
        {
            commands.Add(["SELECT", _database.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        commands.Add(["CLIENT", "SETNAME", "meshflow-publisher"]);
        commands.Add(["CLIENT", "REPLY", "ON"]);
        var request = new StringBuilder();
        foreach (var command in commands)
        {
            request.Append('*').Append(command.Length).Append("\r\n");
            foreach (var argument in command)
            {
                request.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
            }
        }

        request.Append("*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n");
        await socket.SendAsync(Encoding.UTF8.GetBytes(request.ToString()), cancellationToken).ConfigureAwait(false);

        // One line each (+OK or -ERR ...); AUTH's error must not be shown with its argument, and is not: Redis never echoes it.
        var replies = new RespReader();
        var buffer = new byte[512];
        for (var i = 0; i < commands.Count;)
        {
            var read = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("Redis closed the publisher's connection during its handshake");
            }

            replies.Feed(buffer.AsSpan(0, read));
            while (i < commands.Count && replies.TryNext(out var error))
            {
                if (error is not null)
                {
                    throw new RedisServerException($"{commands[i][0]} {(commands[i][0] == "AUTH" ? string.Empty : string.Join(' ', commands[i][1..]))}: {error}".Trim());
                }

                i++;
            }
        }
    }

    // The held commands go out once every event published through the multiplexer so far is in Redis.
    private async Task DrainMultiplexerAsync(Socket socket)
    {
        try
        {
            await _multiplexer.GetDatabase().PingAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            lock (_gate)
            {
                if (_socket == socket)
                {
                    LostLocked(e);
                }
            }

            return;
        }

        lock (_gate)
        {
            if (_socket != socket || _state != State.Draining)
            {
                return;
            }

            try
            {
                socket.Send(_buffer.AsSpan(0, _length));
                _length = 0;
                _state = State.Up;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                LostLocked(e);
            }
        }
    }

    // The replies of awaited groups, in order; a closed or failed connection is a lost one.
    private void Read(Socket socket)
    {
        var buffer = new byte[4096];
        var replies = new RespReader();
        Exception? failure = null;
        try
        {
            while (true)
            {
                var read = socket.Receive(buffer);
                if (read == 0)
                {
                    failure = new RedisConnectionException(ConnectionFailureType.SocketClosed, "Redis closed the publisher's connection");
                    break;
                }

                replies.Feed(buffer.AsSpan(0, read));
                while (replies.TryNext(out var error))
                {
                    Awaited? group;
                    lock (_gate)
                    {
                        if (!_awaited.TryPeek(out group) || !group.Reply(error))
                        {
                            continue;
                        }

                        _awaited.Dequeue();
                    }

                    group.Complete();
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidDataException)
        {
            failure = e;
        }

        lock (_gate)
        {
            if (_socket == socket)
            {
                LostLocked(failure);
            }
        }
    }

    private void LostLocked(Exception? reason)
    {
        CloseLocked(reason);
        if (_state is State.Disposed or State.Unsupported)
        {
            return;
        }

        if (_logger is not null)
        {
            RedisRuntimeLog.PublisherLost(_logger, reason);
        }

        _state = State.Connecting;
        _ = Task.Run(ConnectAsync);
    }

    private void CloseLocked(Exception? reason)
    {
        _socket?.Dispose();
        _socket = null;
        _length = 0;
        var failure = new RedisConnectionException(ConnectionFailureType.SocketFailure, "the publisher's connection to Redis was lost", reason);
        while (_awaited.TryDequeue(out var group))
        {
            group.Fail(failure);
        }
    }

    // A group of commands sent with replies on: CLIENT REPLY ON, XADD, [EXPIRE,] PUBLISH.
    private sealed class Awaited(int replies)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining = replies;
        private string? _error;

        public Task Task => _done.Task;

        // True once the group's last reply is in.
        public bool Reply(string? error)
        {
            // The XADD of an event kept already (published twice) is refused; readers drop the relayed duplicate.
            if (error is not null && _error is null && !error.Contains("equal or smaller", StringComparison.Ordinal))
            {
                _error = error;
            }

            return --_remaining == 0;
        }

        public void Complete()
        {
            if (_error is null)
            {
                _done.TrySetResult();
            }
            else
            {
                _done.TrySetException(new RedisServerException(_error));
            }
        }

        public void Fail(Exception failure) => _done.TrySetException(failure);
    }

    /// <summary>Splits a reply stream into replies; keeps only whether each was an error, and its message.</summary>
    private sealed class RespReader
    {
        private byte[] _data = new byte[1024];
        private int _start;
        private int _end;

        public void Feed(ReadOnlySpan<byte> bytes)
        {
            if (_start > 0)
            {
                _data.AsSpan(_start, _end - _start).CopyTo(_data);
                _end -= _start;
                _start = 0;
            }

            if (_end + bytes.Length > _data.Length)
            {
                Array.Resize(ref _data, Math.Max(_data.Length * 2, _end + bytes.Length));
            }

            bytes.CopyTo(_data.AsSpan(_end));
            _end += bytes.Length;
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

        private bool Skip(ref int position, out string? error)
        {
            error = null;
            var line = _data.AsSpan(position, _end - position);
            var newline = line.IndexOf("\r\n"u8);
            if (newline < 1)
            {
                return false;
            }

            var head = line[..newline];
            position += newline + 2;
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
                    throw new InvalidDataException("an unexpected reply from Redis on the publisher's connection");
            }
        }

        private static int Number(ReadOnlySpan<byte> text) =>
            Utf8Parser.TryParse(text, out int value, out var consumed) && consumed == text.Length
                ? value
                : throw new InvalidDataException("an unreadable length in a reply from Redis on the publisher's connection");
    }
}
