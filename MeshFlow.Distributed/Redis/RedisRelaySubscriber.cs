using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

/// <summary>What a <see cref="RedisRelaySubscriber"/> calls, on its reader thread, for one subscribed channel.</summary>
/// <remarks>Both calls must return quickly and never block: every channel's messages wait behind them.</remarks>
internal interface IRelayListener
{
    /// <summary>A message published on the channel; <paramref name="payload"/> is valid only during the call.</summary>
    void OnMessage(ReadOnlySpan<byte> payload);

    /// <summary>The connection broke and was re-established: messages published meanwhile were lost.</summary>
    void OnResubscribed();
}

/// <summary>
/// The API's live relay: one Redis connection in subscriber mode read by a thread of its own, which hands each
/// message to its channel's listeners as soon as the read returns.
/// </summary>
/// <remarks>
/// <para>
/// StackExchange.Redis delivers a pub/sub message through three threads (its socket completion, its pipe reader,
/// then the thread pool for the subscriber's queue or handler); under streaming load each hand-off waits for a core, and
/// together they were most of a token's time in the API. Here the kernel wakes the one reader thread and the listener
/// runs on it. Everything else (the kept events, publishing) stays on the shared multiplexer.
/// </para>
/// <para>
/// Plain RESP2 over TCP: <c>AUTH</c> (user and password from the configuration), <c>CLIENT SETNAME</c>, then
/// <c>SUBSCRIBE</c>/<c>UNSUBSCRIBE</c> per channel, each confirmed in order, and a <c>PING</c> when the connection
/// has been quiet for <see cref="KeepAliveInterval"/>. A broken connection is re-opened with back-off and every
/// channel subscribed again; its listeners are then told (<see cref="IRelayListener.OnResubscribed"/>) so they can
/// recover what was published in between. <see cref="IsSupported"/> says whether a configuration can use it (TLS and
/// Unix sockets cannot; they keep StackExchange.Redis's subscriber).
/// </para>
/// </remarks>
internal sealed class RedisRelaySubscriber : IDisposable, IAsyncDisposable
{
    /// <summary>How long an idle connection waits before it sends a PING (which also finds a dead one).</summary>
    internal static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly string _host;
    private readonly int _port;
    private readonly string? _user;
    private readonly string? _password;
    private readonly string? _clientName;
    private readonly TimeSpan _confirmTimeout;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChannelState> _channels = new(StringComparer.Ordinal);

    // The channel each SUBSCRIBE in flight is for (null for UNSUBSCRIBE and PING): Redis confirms them in order.
    private readonly Queue<ChannelState?> _unconfirmed = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Timer _keepAlive;
    private Socket? _socket;
    private Thread? _reader;
    private long _lastActivity;
    private string? _lastError;

    public RedisRelaySubscriber(ConfigurationOptions configuration, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!IsSupported(configuration))
        {
            throw new ArgumentException("the relay subscriber needs a plain TCP endpoint (no TLS)", nameof(configuration));
        }

        (_host, _port) = configuration.EndPoints[0] switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port == 0 ? 6379 : dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port == 0 ? 6379 : ip.Port),
            var other => throw new ArgumentException($"unsupported endpoint type {other.GetType().Name}", nameof(configuration)),
        };
        _user = configuration.User;
        _password = configuration.Password;
        _clientName = configuration.ClientName is { Length: > 0 } name ? name + "-relay" : null;
        _confirmTimeout = TimeSpan.FromMilliseconds(Math.Max(configuration.ConnectTimeout, configuration.AsyncTimeout));
        _logger = logger ?? NullLogger.Instance;
        _keepAlive = new Timer(static state => ((RedisRelaySubscriber)state!).KeepAlive(), this, KeepAliveInterval, KeepAliveInterval);
    }

    /// <summary>Whether <paramref name="configuration"/> can be served by this subscriber (a TCP endpoint, no TLS).</summary>
    public static bool IsSupported(ConfigurationOptions configuration) =>
        configuration is { Ssl: false, EndPoints.Count: > 0 } && configuration.EndPoints[0] is DnsEndPoint or IPEndPoint;

    /// <summary>The channels subscribed (or being subscribed) on the server.</summary>
    public int ChannelCount
    {
        get
        {
            lock (_gate)
            {
                return _channels.Count;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="listener"/> to <paramref name="channel"/> and returns once Redis confirms the channel is
    /// subscribed: a message published after that reaches the listener. Dispose the result to leave.
    /// </summary>
    /// <exception cref="RedisConnectionException">Redis did not confirm the subscription in time.</exception>
    public async Task<IDisposable> SubscribeAsync(string channel, IRelayListener listener, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(listener);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        Task confirmed;
        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out var state))
            {
                state = new ChannelState(channel);
                _channels.Add(channel, state);
                if (_socket is { } socket)
                {
                    SendLocked(socket, Command("SUBSCRIBE", channel), state);
                }
            }

            state.Listeners = [.. state.Listeners, listener];
            confirmed = state.Confirmed.Task;
            EnsureReaderLocked();
        }

        var subscription = new Subscription(this, channel, listener);
        try
        {
            await confirmed.WaitAsync(_confirmTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            subscription.Dispose();
            if (e is TimeoutException)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect,
                    $"Redis at {_host}:{_port} did not confirm the subscription to '{channel}' within {_confirmTimeout.TotalSeconds:0.#} s" +
                    (Volatile.Read(ref _lastError) is { } error ? $": {error}" : string.Empty));
            }

            throw;
        }

        return subscription;
    }

    /// <summary>Closes the connection and stops the reader thread (waiting a few seconds for it).</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _keepAlive.Dispose();
        Thread? reader;
        lock (_gate)
        {
            CloseLocked();
            reader = _reader;
        }

        // _stopping is not disposed: a reader still stuck in a connect attempt reads it when that returns.
        reader?.Join(TimeSpan.FromSeconds(5));
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Leave(string channel, IRelayListener listener)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out var state))
            {
                return;
            }

            state.Listeners = [.. state.Listeners.Where(l => !ReferenceEquals(l, listener))];
            if (state.Listeners.Length > 0)
            {
                return;
            }

            _channels.Remove(channel);
            if (_socket is { } socket)
            {
                SendLocked(socket, Command("UNSUBSCRIBE", channel), null);
            }
        }
    }

    private void EnsureReaderLocked()
    {
        if (_reader is null)
        {
            _reader = new Thread(Run) { IsBackground = true, Name = "MeshFlow relay subscriber" };
            _reader.Start();
        }
    }

    // The reader thread: connect, read until the connection breaks, repeat until disposed.
    private void Run()
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        var buffer = new byte[64 * 1024];
        while (!_stopping.IsCancellationRequested)
        {
            Socket? socket = null;
            try
            {
                socket = Connect();
                backoff = TimeSpan.FromMilliseconds(50);
                Volatile.Write(ref _lastError, null);
                ReadUntilClosed(socket, ref buffer);
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or RedisException or InvalidDataException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                Volatile.Write(ref _lastError, e.Message);
                RelayLog.Broken(_logger, _host, _port, e.Message);
            }
            finally
            {
                lock (_gate)
                {
                    if (ReferenceEquals(_socket, socket))
                    {
                        CloseLocked();
                    }
                }

                socket?.Dispose();
            }

            if (_stopping.Token.WaitHandle.WaitOne(backoff))
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private Socket Connect()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(_host, _port);
            if (_password is not null)
            {
                socket.Send(_user is null ? Command("AUTH", _password) : Command("AUTH", _user, _password));
                ExpectOk(socket, "AUTH");
            }

            if (_clientName is not null)
            {
                socket.Send(Command("CLIENT", "SETNAME", _clientName));
                ExpectOk(socket, "CLIENT SETNAME");
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                socket.Dispose();
                throw new ObjectDisposedException(nameof(RedisRelaySubscriber));
            }

            _socket = socket;
            _unconfirmed.Clear();
            Volatile.Write(ref _lastActivity, Environment.TickCount64);
            foreach (var state in _channels.Values)
            {
                SendLocked(socket, Command("SUBSCRIBE", state.Name), state);
            }
        }

        return socket;
    }

    // A reply before subscriber mode: +OK, or an error whose text is the reason (it never holds the password).
    private static void ExpectOk(Socket socket, string command)
    {
        var line = new byte[512];
        var length = 0;
        while (length < 2 || line[length - 2] != '\r' || line[length - 1] != '\n')
        {
            if (length == line.Length || socket.Receive(line, length, 1, SocketFlags.None) == 0)
            {
                throw new InvalidDataException($"Redis closed the connection after {command}");
            }

            length++;
        }

        if (line[0] != (byte)'+')
        {
            throw new RedisConnectionException(ConnectionFailureType.AuthenticationFailure,
                $"Redis refused {command}: {Encoding.UTF8.GetString(line, 1, length - 3)}");
        }
    }

    private void ReadUntilClosed(Socket socket, ref byte[] buffer)
    {
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("Redis closed the connection");
            }

            Volatile.Write(ref _lastActivity, Environment.TickCount64);
            filled += read;
            var consumed = 0;
            while (RespReply.TryRead(buffer.AsSpan(consumed, filled - consumed), out var reply))
            {
                Dispatch(reply);
                consumed += reply.Length;
            }

            Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
        }
    }

    private void Dispatch(in RespReply reply)
    {
        if (reply.Kind.SequenceEqual("message"u8))
        {
            IRelayListener[] listeners;
            lock (_gate)
            {
                if (!_channels.TryGetValue(Encoding.UTF8.GetString(reply.Channel), out var state))
                {
                    return;
                }

                listeners = state.Listeners;
            }

            foreach (var listener in listeners)
            {
                try
                {
                    listener.OnMessage(reply.Payload);
                }
#pragma warning disable CA1031 // A listener's failure is its own: the other channels keep flowing.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    RelayLog.ListenerFailed(_logger, e);
                }
            }

            return;
        }

        if (reply.Kind.SequenceEqual("subscribe"u8) || reply.Kind.SequenceEqual("unsubscribe"u8) || reply.Kind.SequenceEqual("pong"u8))
        {
            ChannelState? state;
            lock (_gate)
            {
                if (!_unconfirmed.TryDequeue(out state) || state is null || !ReferenceEquals(_channels.GetValueOrDefault(state.Name), state))
                {
                    return;
                }
            }

            if (state.Confirmed.TrySetResult())
            {
                return;
            }

            // Subscribed again after a broken connection: what was published in between is lost.
            foreach (var listener in state.Listeners)
            {
                try
                {
                    listener.OnResubscribed();
                }
#pragma warning disable CA1031
                catch (Exception e)
#pragma warning restore CA1031
                {
                    RelayLog.ListenerFailed(_logger, e);
                }
            }

            return;
        }

        throw new InvalidDataException("unexpected reply on the relay subscriber connection: " + Encoding.UTF8.GetString(reply.Kind));
    }

    private void KeepAlive()
    {
        lock (_gate)
        {
            if (_socket is { } socket && Environment.TickCount64 - Volatile.Read(ref _lastActivity) >= KeepAliveInterval.TotalMilliseconds)
            {
                SendLocked(socket, Command("PING"), null);
            }
        }
    }

    private void SendLocked(Socket socket, byte[] command, ChannelState? confirms)
    {
        try
        {
            socket.Send(command);
            _unconfirmed.Enqueue(confirms);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The reader sees the broken connection, re-opens it and subscribes every channel again.
            CloseLocked();
        }
    }

    private void CloseLocked()
    {
        _socket?.Dispose();
        _socket = null;
    }

    private static byte[] Command(params string[] args)
    {
        var text = new StringBuilder().Append('*').Append(args.Length).Append("\r\n");
        foreach (var arg in args)
        {
            text.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private sealed class ChannelState(string name)
    {
        public string Name { get; } = name;

        public IRelayListener[] Listeners { get; set; } = [];

        public TaskCompletionSource Confirmed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Subscription(RedisRelaySubscriber owner, string channel, IRelayListener listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(channel, listener);
            }
        }
    }
}

/// <summary>One whole reply on a subscriber connection: an array whose first element names it (<c>message</c>,
/// <c>subscribe</c>, <c>unsubscribe</c>, <c>pong</c>), then the channel and the payload or count.</summary>
internal readonly ref struct RespReply
{
    public ReadOnlySpan<byte> Kind { get; init; }

    public ReadOnlySpan<byte> Channel { get; init; }

    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>How many bytes the reply took.</summary>
    public int Length { get; init; }

    /// <summary>Reads one reply from the start of <paramref name="data"/>; false when it is not all there yet.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a reply of a subscriber connection.</exception>
    public static bool TryRead(ReadOnlySpan<byte> data, out RespReply reply)
    {
        reply = default;
        if (!TryLine(data, 0, out var head, out var position))
        {
            return false;
        }

        if (head.Length < 2 || head[0] != (byte)'*' || !Utf8Parser.TryParse(head[1..], out int count, out var used) || used != head.Length - 1 || count < 1)
        {
            throw new InvalidDataException("not a RESP array: " + Encoding.UTF8.GetString(head[..Math.Min(head.Length, 80)]));
        }

        ReadOnlySpan<byte> kind = default, channel = default, payload = default;
        for (var i = 0; i < count; i++)
        {
            if (!TryLine(data, position, out var item, out var next))
            {
                return false;
            }

            ReadOnlySpan<byte> value;
            if (item.Length > 0 && item[0] == (byte)'$')
            {
                if (!Utf8Parser.TryParse(item[1..], out int size, out used) || used != item.Length - 1 || size < 0)
                {
                    throw new InvalidDataException("bad bulk string length: " + Encoding.UTF8.GetString(item));
                }

                if (data.Length < next + size + 2)
                {
                    return false;
                }

                value = data.Slice(next, size);
                next += size + 2;
            }
            else if (item.Length > 0 && item[0] == (byte)':')
            {
                value = item[1..];
            }
            else
            {
                throw new InvalidDataException("unexpected item in a subscriber reply: " + Encoding.UTF8.GetString(item[..Math.Min(item.Length, 80)]));
            }

            switch (i)
            {
                case 0:
                    kind = value;
                    break;
                case 1:
                    channel = value;
                    break;
                case 2:
                    payload = value;
                    break;
            }

            position = next;
        }

        reply = new RespReply { Kind = kind, Channel = channel, Payload = payload, Length = position };
        return true;
    }

    private static bool TryLine(ReadOnlySpan<byte> data, int start, out ReadOnlySpan<byte> line, out int next)
    {
        var end = data[start..].IndexOf("\r\n"u8);
        line = end < 0 ? default : data.Slice(start, end);
        next = end < 0 ? 0 : start + end + 2;
        return end >= 0;
    }
}

internal static partial class RelayLog
{
    [LoggerMessage(20, LogLevel.Warning, "The relay subscriber's connection to Redis at {Host}:{Port} broke ({Reason}); re-opening it")]
    public static partial void Broken(ILogger logger, string host, int port, string reason);

    [LoggerMessage(21, LogLevel.Error, "A relay listener failed")]
    public static partial void ListenerFailed(ILogger logger, Exception exception);
}
