using System.Buffers;

namespace MeshFlow.Tests.Ledger.Canonical;

/// <summary>
/// A buffer writer that hands out spans exactly as large as asked for (one byte when asked for none), so a writer
/// that writes past what it requested, or forgets to advance, is caught.
/// </summary>
internal sealed class TightBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[16];
    private int _written;
    private int _lastSpanLength;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        if (count < 0 || count > _lastSpanLength)
        {
            throw new InvalidOperationException($"Advanced {count} bytes past a span of {_lastSpanLength}.");
        }

        _written += count;
        _lastSpanLength = 0;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).Span;

    private Memory<byte> Reserve(int sizeHint)
    {
        var length = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written < length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _written + length));
        }

        // Poison the span so bytes a writer never wrote cannot pass for output.
        _buffer.AsSpan(_written, length).Fill(0xFF);
        _lastSpanLength = length;
        return _buffer.AsMemory(_written, length);
    }
}
