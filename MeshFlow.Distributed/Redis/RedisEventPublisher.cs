using System.Buffers.Text;
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
    private static readonly byte[] ReplyOn = "*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$2\r\nON\r\n"u8.ToArray();
    private static readonly byte[] ReplyOff = "*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n"u8.ToArray();

    private readonly RespEndpoint _endpoint;
    private readonly IConnectionMultiplexer _multiplexer;
    private readonly ILogger? _logger;
    private readonly object _gate = new();

    // Under _gate: the connection, what it is doing, the groups of commands waiting for their replies (in the order
    // they were sent), and the commands held while the connection drains the multiplexer.
    private readonly Queue<Awaited> _awaited = new();
    private Socket? _socket;
    private readonly RespWriter _out = new();
    private State _state = State.Down;

    private RedisEventPublisher(RespEndpoint endpoint, IConnectionMultiplexer multiplexer, ILogger? logger)
    {
        _endpoint = endpoint;
        _multiplexer = multiplexer;
        _logger = logger;
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
        return RespEndpoint.For(multiplexer) is { } endpoint ? new RedisEventPublisher(endpoint, multiplexer, logger) : null;
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

            var start = _out.Length;
            if (awaited)
            {
                _out.Append(ReplyOn);
            }

            WriteCommands(key, evt, maxLength, retention);
            if (awaited)
            {
                _out.Append(ReplyOff);
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
                _socket!.Send(_out.From(start));
                _out.Truncate(start);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Nothing of it may have reached Redis: the caller's wait fails, as a lost multiplexer connection fails it.
                _out.Truncate(start);
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
        _out.Header(12);
        _out.Bulk("XADD"u8);
        _out.Bulk(key);
        _out.Bulk("MAXLEN"u8);
        _out.Bulk("~"u8);
        _out.Bulk(max[..maxDigits]);
        _out.Bulk(id);
        _out.Bulk("seq"u8);
        _out.Bulk(seq);
        _out.Bulk("kind"u8);
        _out.Bulk(evt.Kind);
        _out.Bulk("json"u8);
        var isUtf8 = evt.TryGetUtf8Json(out var utf8Json);
        if (isUtf8)
        {
            _out.Bulk(utf8Json);
        }
        else
        {
            _out.Bulk(evt.Json);
        }

        if (retention is { } ttl)
        {
            Span<byte> seconds = stackalloc byte[20];
            Utf8Formatter.TryFormat((long)Math.Ceiling(ttl.TotalSeconds), seconds, out var secondsLength);
            _out.Header(3);
            _out.Bulk("EXPIRE"u8);
            _out.Bulk(key);
            _out.Bulk(seconds[..secondsLength]);
        }

        // PUBLISH key "<seq>\n<kind>\n<json>"
        _out.Header(3);
        _out.Bulk("PUBLISH"u8);
        _out.Bulk(key);
        var kind = Encoding.UTF8.GetByteCount(evt.Kind);
        var json = isUtf8 ? utf8Json.Length : Encoding.UTF8.GetByteCount(evt.Json);
        var length = seqLength + 1 + kind + 1 + json;
        _out.BulkHeader(length);
        _out.Append(seq);
        _out.Append("\n"u8);
        _out.AppendText(evt.Kind, kind);
        _out.Append("\n"u8);
        if (isUtf8)
        {
            _out.Append(utf8Json);
        }
        else
        {
            _out.AppendText(evt.Json, json);
        }

        _out.Append("\r\n"u8);
    }

    private async Task ConnectAsync()
    {
        Socket? socket;
        try
        {
            // CLIENT REPLY ON must answer +OK (the server has it), and then CLIENT REPLY OFF needs no answer.
            socket = await _endpoint.OpenWithRetriesAsync("publisher", selectDatabase: true, [["CLIENT", "REPLY", "ON"]], ReplyOff, Stopped,
                (delay, e) =>
                {
                    if (_logger is not null)
                    {
                        RedisRuntimeLog.PublisherConnectFailed(_logger, delay, e);
                    }
                }).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (RespEndpoint.IsRefusal(e))
        {
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

        if (socket is null)
        {
            return;
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
        }

        var reader = new Thread(() => Read(socket)) { IsBackground = true, Name = "meshflow acks" };
        reader.Start();
        await DrainMultiplexerAsync(socket).ConfigureAwait(false);
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
                socket.Send(_out.Written);
                _out.Truncate(0);
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
        var replies = new RespReader();
        Exception? failure = null;
        try
        {
            while (true)
            {
                var read = socket.Receive(replies.FreeSpace(1024).Span);
                if (read == 0)
                {
                    failure = new RedisConnectionException(ConnectionFailureType.SocketClosed, "Redis closed the publisher's connection");
                    break;
                }

                replies.Advance(read);
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

    private bool Stopped()
    {
        lock (_gate)
        {
            return _state == State.Disposed;
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
        _out.Truncate(0);
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
}
