namespace MeshFlow.Agents.Providers;

/// <summary>
/// An Ollama NDJSON body as OllamaSharp reads it, handed out a whole line at a time so that each line is looked at
/// first: an <c>{"error": "..."}</c> line (which OllamaSharp's chat stream would read as an empty answer) throws
/// <see cref="OllamaRequestException"/>, and a stream silent for the network timeout throws <see cref="TimeoutException"/>.
/// </summary>
internal sealed class OllamaResponseStream(Stream inner, TimeSpan idleTimeout, string server, CancellationToken cancellationToken) : Stream
{
    private byte[] _buffer = new byte[8192];
    private int _start;   // the first byte not yet handed out
    private int _checked; // the end of the whole lines looked at: bytes before it may be handed out
    private int _end;     // the end of the bytes read
    private bool _ended;
    private CancellationTokenSource _idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_start == _checked)
        {
            if (_ended)
            {
                return 0;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        var count = Math.Min(buffer.Length, _checked - _start);
        _buffer.AsSpan(_start, count).CopyTo(buffer.Span);
        _start += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _idle.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // Reads until a whole line (or the end) is there, and looks at the lines read.
    private async Task FillAsync(CancellationToken readCancellation)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _checked -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read;
        using (var reading = readCancellation.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_idle.Token, readCancellation) : null)
        {
            _idle.CancelAfter(idleTimeout);
            try
            {
                read = await inner.ReadAsync(_buffer.AsMemory(_end), reading?.Token ?? _idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !readCancellation.IsCancellationRequested)
            {
                throw new TimeoutException($"the Ollama server at {server} sent nothing for {idleTimeout.TotalSeconds:0.#} s");
            }
        }

        // The timer runs only while a read waits: the time the reader spends on a line is not the server's silence.
        if (!_idle.TryReset())
        {
            _idle.Dispose();
            _idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        if (read == 0)
        {
            _ended = true;
            Check(_checked, _end);
            _checked = _end;
            return;
        }

        _end += read;
        var lastNewLine = _buffer.AsSpan(_checked, _end - _checked).LastIndexOf((byte)'\n');
        if (lastNewLine >= 0)
        {
            var lines = _checked + lastNewLine + 1;
            Check(_checked, lines);
            _checked = lines;
        }
    }

    private void Check(int from, int to)
    {
        var lines = _buffer.AsSpan(from, to - from);
        while (!lines.IsEmpty)
        {
            var newLine = lines.IndexOf((byte)'\n');
            var line = (newLine < 0 ? lines : lines[..newLine]).TrimStart(" \t\r"u8);

            // Ollama's chat lines begin with "model"; only its error object begins with "error".
            if (line.StartsWith("{\"error\""u8))
            {
                throw new OllamaRequestException(null, OllamaRequestException.ErrorText(line) ?? System.Text.Encoding.UTF8.GetString(line));
            }

            lines = newLine < 0 ? [] : lines[(newLine + 1)..];
        }
    }
}
