using System.Buffers;
using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks.Sources;
using MeshFlow.Events;
using MeshFlow.Runtime;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

/// <summary>
/// Receives relayed run events on a Redis pub/sub connection of its own, read by one thread that parses each message
/// straight from the socket's bytes and hands the event to the reader waiting for it, on that thread. Through the
/// multiplexer, each message is copied, queued, and handed to the thread pool before a reader sees it: a hand-off (a
/// thread woken) per token per stream.
/// </summary>
/// <remarks>
/// <para>
/// A reader's code runs on the receiving thread until it next waits (an SSE stream writes its event and flushes it
/// there), so readers of the bus must not block; the API's streams do not. While the connection is down (not yet
/// made, lost, or refused), <see cref="SubscribeAsync"/> returns null and the caller subscribes through the
/// multiplexer; the connection is made, and remade after a loss, in the background. A subscription whose connection
/// is lost is told so (<see cref="LiveNext.Lost"/>): its reader subscribes again and reads the kept events it missed.
/// </para>
/// <para>
/// The same servers as <see cref="RedisEventPublisher"/>'s are out of reach (TLS, several endpoints), as are those that
/// refuse its <c>CLIENT SETNAME</c> or <c>SUBSCRIBE</c>.
/// </para>
/// </remarks>
internal sealed class RedisEventSubscriber : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(100);

    // At least this much room for each read: a backlog of a few hundred events is read, and handed out, at once.
    private const int ReadSize = 64 * 1024;

    // Event kinds read as the same strings every time rather than one new string per event.
    private static readonly (byte[] Utf8, string Text)[] Kinds = [.. new[]
    {
        MeshEventKinds.TokenDelta, MeshEventKinds.StepStart, MeshEventKinds.StepEnd, MeshEventKinds.RunStart, MeshEventKinds.RunEnd,
    }.Select(kind => (Encoding.UTF8.GetBytes(kind), kind))];

    private readonly RespEndpoint _endpoint;
    private readonly ILogger? _logger;
    private readonly object _gate = new();
    private readonly Timer _sweeper;

    // Under _gate: the connection, what it is doing, and each subscribed channel's subscriptions.
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Channel>.AlternateLookup<ReadOnlySpan<char>> _byName;
    private readonly RespWriter _out = new();
    private Socket? _socket;
    private State _state = State.Down;

    private RedisEventSubscriber(RespEndpoint endpoint, ILogger? logger)
    {
        _endpoint = endpoint;
        _logger = logger;
        _byName = _channels.GetAlternateLookup<ReadOnlySpan<char>>();
        _sweeper = new Timer(static state => ((RedisEventSubscriber)state!).Sweep(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private enum State
    {
        Down,
        Connecting,
        Up,
        Unsupported,
        Disposed,
    }

    /// <summary>Whether subscriptions are currently made on the connection of its own.</summary>
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

    /// <summary>Whether the server refused what the connection needs, so that every reader uses the multiplexer.</summary>
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

    /// <summary>A subscriber for <paramref name="multiplexer"/>'s server, or null where it cannot have one (see remarks).</summary>
    public static RedisEventSubscriber? For(IConnectionMultiplexer multiplexer, ILogger? logger) =>
        RespEndpoint.For(multiplexer) is { } endpoint ? new RedisEventSubscriber(endpoint, logger) : null;

    /// <summary>
    /// Subscribes to <paramref name="channel"/> and returns once Redis confirms it (every message published after that
    /// is received); null when the connection is not up, or is lost before the confirmation: the caller then
    /// subscribes elsewhere.
    /// </summary>
    public async ValueTask<Live?> SubscribeAsync(string channel, CancellationToken cancellationToken)
    {
        Live live;
        var sent = true;
        lock (_gate)
        {
            if (_state != State.Up)
            {
                if (_state == State.Down)
                {
                    _state = State.Connecting;
                    _ = Task.Run(ConnectAsync, CancellationToken.None);
                }

                return null;
            }

            live = new Live(this, channel, cancellationToken);
            if (!_channels.TryGetValue(channel, out var subscribed))
            {
                subscribed = new Channel();
                _channels.Add(channel, subscribed);
            }

            subscribed.Readers.Add(live);
            if (subscribed.Readers.Count == 1)
            {
                subscribed.Unconfirmed++;
                _out.Command("SUBSCRIBE", channel);
                sent = SendLocked();
            }
            else if (subscribed.Unconfirmed == 0)
            {
                live.Confirm();
            }
        }

        if (!sent)
        {
            live.Dispose();
            return null;
        }

        try
        {
            if (await live.Confirmed.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                return live;
            }
        }
        catch (OperationCanceledException)
        {
            live.Dispose();
            throw;
        }

        live.Dispose();
        return null;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _state = State.Disposed;
            CloseLocked();
        }

        _sweeper.Dispose();
    }

    private void Unsubscribe(Live live)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(live.Channel, out var subscribed) || !subscribed.Readers.Remove(live) || subscribed.Readers.Count > 0)
            {
                return;
            }

            _channels.Remove(live.Channel);
            if (_state == State.Up)
            {
                _out.Command("UNSUBSCRIBE", live.Channel);
                SendLocked();
            }
        }
    }

    // Sends what _out holds; false if the connection was lost doing so.
    private bool SendLocked()
    {
        try
        {
            _socket!.Send(_out.Written);
            _out.Truncate(0);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            LostLocked(e);
            return false;
        }
    }

    private async Task ConnectAsync()
    {
        Socket? socket;
        try
        {
            // Blocking: the reading thread below waits in the kernel's recv, woken by it directly (see blockingReads).
            socket = await _endpoint.OpenWithRetriesAsync("subscriber", selectDatabase: false, [], ReadOnlyMemory<byte>.Empty, Stopped,
                (delay, e) =>
                {
                    if (_logger is not null)
                    {
                        RedisRuntimeLog.SubscriberConnectFailed(_logger, delay, e);
                    }
                }, blockingReads: true).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (RespEndpoint.IsRefusal(e))
        {
            Refuse(e.Message);
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
            _state = State.Up;
            _sweeper.Change(SweepInterval, SweepInterval);
        }

        new Thread(() => Read(socket)) { IsBackground = true, Name = "meshflow relay" }.Start();
    }

    private bool Stopped()
    {
        lock (_gate)
        {
            return _state == State.Disposed;
        }
    }

    private void Refuse(string reason)
    {
        lock (_gate)
        {
            if (_state == State.Disposed)
            {
                return;
            }

            _state = State.Unsupported;
            CloseLocked();
        }

        if (_logger is not null)
        {
            RedisRuntimeLog.SubscriberUnsupported(_logger, reason);
        }
    }

    // Messages to their readers, and confirmations of subscriptions; a closed or failed connection is a lost one.
    private void Read(Socket socket)
    {
        var replies = new RespReader();
        Span<Range> parts = stackalloc Range[3];
        var woken = new List<Live>();
        Exception? failure = null;
        try
        {
            while (true)
            {
                // Every message one read brought is handed out before any reader's code runs (see Dispatch).
                WakeAll(woken);
                var read = socket.Receive(replies.FreeSpace(ReadSize).Span);
                if (read == 0)
                {
                    failure = new RedisConnectionException(ConnectionFailureType.SocketClosed, "Redis closed the subscriber's connection");
                    break;
                }

                replies.Advance(read);
                while (replies.TryNextArray(parts, out var count, out var error))
                {
                    if (error is not null)
                    {
                        // SUBSCRIBE refused (an ACL without the channel): this server's readers use the multiplexer.
                        Refuse(error);
                        return;
                    }

                    if (count == 3)
                    {
                        var kind = replies.Slice(parts[0]);
                        if (kind.SequenceEqual("message"u8))
                        {
                            Dispatch(replies.Slice(parts[1]), replies.Slice(parts[2]), woken);
                        }
                        else if (kind.SequenceEqual("subscribe"u8))
                        {
                            Confirmed(replies.Slice(parts[1]));
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidDataException)
        {
            failure = e;
        }

        // What the last read brought is handed out before the subscriptions are told of the loss.
        WakeAll(woken);

        lock (_gate)
        {
            if (_socket == socket)
            {
                LostLocked(failure);
            }
        }
    }

    private static void WakeAll(List<Live> woken)
    {
        foreach (var live in woken)
        {
            live.Wake();
        }

        woken.Clear();
    }

    // Queues the event for its readers; those waiting for one are added to woken, to be woken once the read's other
    // messages are queued too. A reader woken then finds all of its events of that read waiting and writes them with
    // one flush: after the thread was held up (by a collection, or waiting for a CPU), the backlog in the socket goes
    // out with one send per stream instead of one per event, and the thread catches up several times faster.
    private void Dispatch(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message, List<Live> woken)
    {
        Live? single = null;
        Live[]? several = null;
        var rented = channel.Length > 256 ? ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(channel.Length)) : null;
        try
        {
            Span<char> name = rented ?? stackalloc char[Encoding.UTF8.GetMaxCharCount(256)];
            name = name[..Encoding.UTF8.GetChars(channel, name)];
            lock (_gate)
            {
                if (!_byName.TryGetValue(name, out var subscribed) || subscribed.Readers.Count == 0)
                {
                    return;
                }

                if (subscribed.Readers.Count == 1)
                {
                    single = subscribed.Readers[0];
                }
                else
                {
                    several = [.. subscribed.Readers];
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }

        if (Parse(message) is not { } evt)
        {
            return;
        }

        if (single is not null)
        {
            if (single.Enqueue(evt))
            {
                woken.Add(single);
            }

            return;
        }

        foreach (var live in several!)
        {
            if (live.Enqueue(evt))
            {
                woken.Add(live);
            }
        }
    }

    private void Confirmed(ReadOnlySpan<byte> channel)
    {
        var name = Encoding.UTF8.GetString(channel);
        Live[] confirmed;
        lock (_gate)
        {
            if (!_channels.TryGetValue(name, out var subscribed) || --subscribed.Unconfirmed > 0)
            {
                return;
            }

            subscribed.Unconfirmed = 0;
            confirmed = [.. subscribed.Readers];
        }

        foreach (var live in confirmed)
        {
            live.Confirm();
        }
    }

    // "<seq>\n<kind>\n<json>", as RunEventWire writes it.
    private static RunEventEnvelope? Parse(ReadOnlySpan<byte> message)
    {
        var first = message.IndexOf((byte)'\n');
        if (first < 1 || !Utf8Parser.TryParse(message[..first], out long seq, out var consumed) || consumed != first)
        {
            return null;
        }

        var rest = message[(first + 1)..];
        var second = rest.IndexOf((byte)'\n');
        if (second < 0)
        {
            return null;
        }

        var kindBytes = rest[..second];
        string? kind = null;
        foreach (var (utf8, text) in Kinds)
        {
            if (kindBytes.SequenceEqual(utf8))
            {
                kind = text;
                break;
            }
        }

        // The JSON stays UTF-8: a relay writes these bytes out as they are, half the size of a string of them.
        return new RunEventEnvelope(seq, kind ?? Encoding.UTF8.GetString(kindBytes), rest[(second + 1)..].ToArray());
    }

    // Readers waiting past their deadline are told so (they then read the kept events).
    private void Sweep()
    {
        List<Live> readers;
        lock (_gate)
        {
            readers = [.. _channels.Values.SelectMany(channel => channel.Readers)];
        }

        var now = Environment.TickCount64;
        foreach (var live in readers)
        {
            live.Expire(now);
        }
    }

    private void LostLocked(Exception? reason)
    {
        CloseLocked();
        if (_state is State.Disposed or State.Unsupported)
        {
            return;
        }

        if (_logger is not null)
        {
            RedisRuntimeLog.SubscriberLost(_logger, reason);
        }

        _state = State.Connecting;
        _ = Task.Run(ConnectAsync);
    }

    // Every subscription is lost with the connection: its reader subscribes again.
    private void CloseLocked()
    {
        _socket?.Dispose();
        _socket = null;
        _out.Truncate(0);
        _sweeper.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var lost = _channels.Values.SelectMany(channel => channel.Readers).ToArray();
        _channels.Clear();
        foreach (var live in lost)
        {
            // Only sets state and completes a waiter's result; the waiter's code runs later, on the pool.
            live.Lose();
        }
    }

    /// <summary>A subscribed channel: its readers, and how many of its SUBSCRIBEs Redis has yet to confirm.</summary>
    private sealed class Channel
    {
        public List<Live> Readers { get; } = new(1);

        public int Unconfirmed { get; set; }
    }

    /// <summary>What <see cref="Live.NextAsync"/> gives: an event, nothing before the deadline, or the subscription lost.</summary>
    internal readonly record struct LiveNext(RunEventEnvelope? Event, bool Lost);

    /// <summary>
    /// One reader's subscription: the events received for it and not yet read, and the reader waiting for the next one,
    /// whose code the receiving thread runs when it hands it an event.
    /// </summary>
    internal sealed class Live : IValueTaskSource<LiveNext>, IDisposable
    {
        private readonly RedisEventSubscriber _owner;
        private readonly TaskCompletionSource<bool> _confirmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenRegistration _cancellation;
        private readonly CancellationToken _cancellationToken;
        private readonly object _sync = new();
        private readonly Queue<RunEventEnvelope> _received = new();
        private ManualResetValueTaskSourceCore<LiveNext> _next;
        private bool _waiting;
        private bool _wakeDue;
        private long _deadline;
        private bool _lost;

        public Live(RedisEventSubscriber owner, string channel, CancellationToken cancellationToken)
        {
            _owner = owner;
            Channel = channel;
            _cancellationToken = cancellationToken;
            _cancellation = cancellationToken.UnsafeRegister(static state => ((Live)state!).Cancel(), this);
        }

        public string Channel { get; }

        /// <summary>True once Redis confirmed the subscription; false if it was lost first.</summary>
        public Task<bool> Confirmed => _confirmed.Task;

        /// <summary>
        /// The next event received; nothing (a null event) if none comes within <paramref name="quiet"/>; or
        /// <see cref="LiveNext.Lost"/> once the events received before the loss are read. One call at a time.
        /// </summary>
        public ValueTask<LiveNext> NextAsync(TimeSpan quiet)
        {
            lock (_sync)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (_received.TryDequeue(out var evt))
                {
                    return new ValueTask<LiveNext>(new LiveNext(evt, false));
                }

                if (_lost)
                {
                    return new ValueTask<LiveNext>(new LiveNext(null, true));
                }

                _next.Reset();
                _next.RunContinuationsAsynchronously = false;
                _deadline = Environment.TickCount64 + (long)quiet.TotalMilliseconds;
                _waiting = true;
                return new ValueTask<LiveNext>(this, _next.Version);
            }
        }

        public void Dispose()
        {
            _cancellation.Dispose();
            _owner.Unsubscribe(this);
        }

        internal void Confirm() => _confirmed.TrySetResult(true);

        /// <summary>Queues <paramref name="evt"/>; true when the reader waits for it and is to be woken (<see cref="Wake"/>).</summary>
        internal bool Enqueue(RunEventEnvelope evt)
        {
            lock (_sync)
            {
                _received.Enqueue(evt);
                if (!_waiting || _wakeDue)
                {
                    return false;
                }

                _wakeDue = true;
                return true;
            }
        }

        /// <summary>Hands the waiting reader its first queued event; nothing if it stopped waiting or read them meanwhile.</summary>
        internal void Wake()
        {
            RunEventEnvelope? evt;
            lock (_sync)
            {
                _wakeDue = false;
                if (!_waiting || !_received.TryDequeue(out evt))
                {
                    return;
                }

                _waiting = false;
            }

            // The reader's code runs here, on the receiving thread, until it next waits.
            _next.SetResult(new LiveNext(evt, false));
        }

        // A reader with an event queued for it (a read's wake-up not yet given) gets that event instead of the news.
        internal void Expire(long now)
        {
            RunEventEnvelope? evt;
            lock (_sync)
            {
                if (!_waiting || now < _deadline)
                {
                    return;
                }

                _waiting = false;
                _received.TryDequeue(out evt);
                _next.RunContinuationsAsynchronously = true;
            }

            _next.SetResult(new LiveNext(evt, false));
        }

        internal void Lose()
        {
            _confirmed.TrySetResult(false);
            RunEventEnvelope? evt;
            lock (_sync)
            {
                _lost = true;
                if (!_waiting)
                {
                    return;
                }

                _waiting = false;
                _received.TryDequeue(out evt);
                _next.RunContinuationsAsynchronously = true;
            }

            _next.SetResult(new LiveNext(evt, evt is null));
        }

        private void Cancel()
        {
            lock (_sync)
            {
                if (!_waiting)
                {
                    return;
                }

                _waiting = false;
                _next.RunContinuationsAsynchronously = true;
            }

            _next.SetException(new OperationCanceledException(_cancellationToken));
        }

        LiveNext IValueTaskSource<LiveNext>.GetResult(short token) => _next.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<LiveNext>.GetStatus(short token) => _next.GetStatus(token);

        void IValueTaskSource<LiveNext>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _next.OnCompleted(continuation, state, token, flags);
    }
}
