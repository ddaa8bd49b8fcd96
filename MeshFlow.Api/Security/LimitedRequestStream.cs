namespace MeshFlow.Api.Security;

/// <summary>
/// A request body that throws a 413 <see cref="BadHttpRequestException"/> once more than <c>limit</c> bytes have
/// been read: the limit for bodies without a Content-Length (chunked), and for servers that enforce none (TestServer).
/// </summary>
internal sealed class LimitedRequestStream(Stream inner, long limit, string message) : Stream
{
    private long _read;

    /// <summary>Whether a read went past the limit (and threw), even if the reader swallowed the exception.</summary>
    public bool LimitExceeded { get; private set; }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Counted(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Counted(int read)
    {
        _read += read;
        if (_read > limit)
        {
            LimitExceeded = true;
            throw new BadHttpRequestException(message, StatusCodes.Status413PayloadTooLarge);
        }

        return read;
    }
}
