using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MeshFlow.LoadTest.Client;

/// <summary>
/// <c>POST /stream</c> (NDJSON) over HTTP/1.1 on a socket of its own, read by the calling thread with blocking reads:
/// the kernel wakes that thread when bytes arrive and they are stamped at once. <see cref="LoadClient"/>'s
/// <c>HttpClient</c> hears of the same bytes one thread-pool hand-off later, and the generator's thread pool is shared
/// with the 100 other streams and with the paced LLM server it hosts, so its stamps carry the generator's own queueing.
/// </summary>
/// <remarks>One request at a time, the connection kept alive between them (and re-opened after any failure).</remarks>
internal sealed class RawStreamClient(Uri baseAddress, string apiKey) : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private Socket? _socket;
    private int _start;
    private int _end;
    private ReceiveStamp _stamp;

    public StreamedRun Stream(byte[] body, Action<EventLine, ReceiveStamp> onEvent, TimeSpan timeout)
    {
        var sent = Stopwatch.GetTimestamp();
        try
        {
            var socket = _socket ??= Connect();
            socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            socket.Send(Encoding.ASCII.GetBytes(
                $"POST /stream HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nAuthorization: Bearer {apiKey}\r\nAccept: application/x-ndjson\r\n" +
                $"Content-Type: application/json\r\nContent-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n"));
            socket.Send(body);

            var (status, runId, chunked) = ReadHead();
            var headers = Stopwatch.GetTimestamp();
            if (status is < 200 or > 299 || !chunked)
            {
                Close();
                return new StreamedRun(sent, headers, status, runId, null);
            }

            var end = ReadBody(onEvent);
            return new StreamedRun(sent, headers, status, runId, end);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            Close();
            return new StreamedRun(sent, Stopwatch.GetTimestamp(), 200, null, null, TimedOut: true);
        }
        catch (Exception e) when (e is SocketException or IOException or FormatException)
        {
            Close();
            return new StreamedRun(sent, Stopwatch.GetTimestamp(), 0, null, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    public void Dispose() => Close();

    private Socket Connect()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(baseAddress.Host, baseAddress.Port);
        _start = _end = 0;
        return socket;
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }

    private (int Status, string? RunId, bool Chunked) ReadHead()
    {
        var status = 0;
        string? runId = null;
        var chunked = false;
        var first = true;
        while (true)
        {
            var line = Encoding.ASCII.GetString(ReadLine(out _));
            if (line.Length == 0)
            {
                return (status, runId, chunked);
            }

            if (first)
            {
                status = int.Parse(line.AsSpan(9, 3), CultureInfo.InvariantCulture);
                first = false;
            }
            else if (line.StartsWith("MeshFlow-Run-Id:", StringComparison.OrdinalIgnoreCase))
            {
                runId = line["MeshFlow-Run-Id:".Length..].Trim();
            }
            else if (line.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && line.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
        }
    }

    // The chunked body, line by line, up to run_end (then the rest of the body is read so the connection can be reused).
    private EventLine? ReadBody(Action<EventLine, ReceiveStamp> onEvent)
    {
        var line = new ArrayBufferWriter<byte>(1024);
        EventLine? end = null;
        while (true)
        {
            var sizeLine = ReadLine(out _);
            if (!Utf8Parser.TryParse(sizeLine, out int size, out _, 'x'))
            {
                throw new FormatException("bad chunk size: " + Encoding.ASCII.GetString(sizeLine));
            }

            if (size == 0)
            {
                ReadLine(out _);
                return end;
            }

            while (size > 0)
            {
                var stamp = Fill();
                var take = Math.Min(size, _end - _start);
                var data = _buffer.AsSpan(_start, take);
                _start += take;
                size -= take;
                while (data.Length > 0)
                {
                    var newline = data.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        line.Write(data);
                        break;
                    }

                    line.Write(data[..newline]);
                    data = data[(newline + 1)..];
                    if (line.WrittenCount > 0 && EventLine.TryParse(new ReadOnlySequence<byte>(line.WrittenMemory), out var evt))
                    {
                        onEvent(evt, stamp);
                        if (evt.Kind == EventKind.RunEnd)
                        {
                            end = evt;
                        }
                    }

                    line.ResetWrittenCount();
                }
            }

            ReadLine(out _);
        }
    }

    private ReadOnlySpan<byte> ReadLine(out ReceiveStamp stamp)
    {
        stamp = default;
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (newline >= 0)
            {
                var line = _buffer.AsSpan(_start, newline);
                _start += newline + 2;
                return line;
            }

            stamp = Fill(force: true);
        }
    }

    // Makes sure there are unread bytes (reading more when there are none, or when forced), stamped as the read returned.
    private ReceiveStamp Fill(bool force = false)
    {
        if (_end > _start && !force)
        {
            return _stamp;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new IOException("a line longer than the read buffer");
        }

        var read = _socket!.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        if (read == 0)
        {
            throw new IOException("the api closed the connection");
        }

        _end += read;
        return _stamp = ReceiveStamp.Now();
    }
}
