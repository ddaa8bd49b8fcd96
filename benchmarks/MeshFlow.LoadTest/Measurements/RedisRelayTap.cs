using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MeshFlow.LoadTest.Client;

namespace MeshFlow.LoadTest.Measurements;

/// <summary>
/// Splits the relay's latency at Redis: a subscriber of its own on every run's event channel
/// (<c>PSUBSCRIBE meshflow:events:*</c>, messages <c>&lt;seq&gt;\n&lt;kind&gt;\n&lt;json&gt;</c>) that takes, for each
/// <c>token_delta</c>, when it arrived here − its <c>ts</c>: the worker's share plus one Redis hop, without the api.
/// </summary>
/// <remarks>
/// A plain socket read by a thread of its own, stamped as each read returns, so the tap adds no thread hop of its own
/// to what it measures. It adds a subscriber to Redis and work to this process, so it runs only with
/// <c>--relay-split</c>.
/// </remarks>
internal sealed class RedisRelayTap : IDisposable
{
    private readonly Socket _socket;
    private readonly LoadWindow _window;
    private readonly List<(long ReadAt, double Latency)> _latencies = [];
    private readonly Thread _thread;

    private RedisRelayTap(Socket socket, LoadWindow window)
    {
        _socket = socket;
        _window = window;
        _thread = new Thread(Read) { IsBackground = true, Name = "redis relay tap" };
        _thread.Start();
    }

    /// <param name="connectionString">The topology's Redis: <c>host:port[,password=...]</c>.</param>
    /// <param name="window">The measured interval: deltas that arrive outside it are not timed.</param>
    public static RedisRelayTap Start(string connectionString, LoadWindow window)
    {
        var parts = connectionString.Split(',');
        var colon = parts[0].LastIndexOf(':');
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(parts[0][..colon], int.Parse(parts[0][(colon + 1)..], CultureInfo.InvariantCulture));
        var command = new StringBuilder();
        if (parts.FirstOrDefault(p => p.StartsWith("password=", StringComparison.Ordinal)) is { } password)
        {
            command.Append(Command("AUTH", password["password=".Length..]));
        }

        command.Append(Command("PSUBSCRIBE", "meshflow:events:*"));
        socket.Send(Encoding.UTF8.GetBytes(command.ToString()));
        return new RedisRelayTap(socket, window);
    }

    /// <summary>
    /// Stops listening; for each token delta that arrived in the window, when (µs since the Unix epoch) and its latency
    /// in milliseconds.
    /// </summary>
    public List<(long ReadAt, double Latency)> Stop()
    {
        _socket.Shutdown(SocketShutdown.Both);
        _socket.Dispose();
        _thread.Join();
        return _latencies;
    }

    public void Dispose() => _socket.Dispose();

    private static string Command(params string[] args) =>
        $"*{args.Length}\r\n" + string.Concat(args.Select(a => $"${Encoding.UTF8.GetByteCount(a)}\r\n{a}\r\n"));

    private void Read()
    {
        var buffer = new byte[1 << 20];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = _socket.Receive(buffer.AsSpan(filled));
                if (read == 0)
                {
                    return;
                }

                var stamp = ReceiveStamp.Now();
                filled += read;
                var consumed = Parse(buffer.AsSpan(0, filled), stamp);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    // Whole replies only: a line (+OK), or an array of bulk strings and integers; the last string of a pmessage is the message.
    private int Parse(ReadOnlySpan<byte> data, ReceiveStamp stamp)
    {
        var consumed = 0;
        while (TryReply(data[consumed..], out var length, out var last))
        {
            if (_window.Contains(stamp.Ticks) && last.Length > 0)
            {
                Record(last, stamp);
            }

            consumed += length;
        }

        return consumed;
    }

    private void Record(ReadOnlySpan<byte> message, ReceiveStamp stamp)
    {
        var first = message.IndexOf((byte)'\n');
        var second = first < 0 ? -1 : message[(first + 1)..].IndexOf((byte)'\n') + first + 1;
        if (second <= first || !message[(first + 1)..second].SequenceEqual("token_delta"u8))
        {
            return;
        }

        if (EventLine.TryParse(new ReadOnlySequence<byte>(message[(second + 1)..].ToArray()), out var line))
        {
            _latencies.Add((stamp.UnixMicroseconds, (stamp.Utc - line.Timestamp).TotalMilliseconds));
        }
    }

    private static bool TryReply(ReadOnlySpan<byte> data, out int length, out ReadOnlySpan<byte> last)
    {
        length = 0;
        last = default;
        if (!TryLine(data, out var head, out var position) || head.Length < 1)
        {
            return false;
        }

        if (head[0] != (byte)'*' && head[0] != (byte)'>')
        {
            // +OK (AUTH), or an error: a line of its own.
            length = position;
            return true;
        }

        var count = int.Parse(head[1..], CultureInfo.InvariantCulture);
        for (var i = 0; i < count; i++)
        {
            if (!TryLine(data[position..], out var item, out var used))
            {
                return false;
            }

            position += used;
            if (item[0] == (byte)'$')
            {
                var size = int.Parse(item[1..], CultureInfo.InvariantCulture);
                if (data.Length < position + size + 2)
                {
                    return false;
                }

                last = data.Slice(position, size);
                position += size + 2;
            }
            else
            {
                last = default;
            }
        }

        length = position;
        return true;
    }

    private static bool TryLine(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> line, out int used)
    {
        var end = data.IndexOf("\r\n"u8);
        line = end < 0 ? default : data[..end];
        used = end + 2;
        return end >= 0;
    }
}
