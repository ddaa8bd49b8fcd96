using System.Buffers;
using System.Globalization;
using MeshFlow.Ledger.Canonical;

namespace MeshFlow.Ledger;

/// <summary>
/// Writes one flat JSON object in RFC 8785 canonical form, straight into a buffer, for callers that emit their keys
/// already sorted (the ledger's fixed headers): strings as <see cref="CanonicalJson"/> writes them; integers are
/// plain digits. No floating point: the header keeps fractional
/// values as strings or integer units, so no number formatting can ever disagree.
/// </summary>
internal sealed class JcsWriter(IBufferWriter<byte> output)
{
    private bool _first = true;

    public JcsWriter StartObject()
    {
        Raw("{"u8);
        _first = true;
        return this;
    }

    public void EndObject() => Raw("}"u8);

    /// <summary>
    /// A key given as its UTF-8 bytes, for keys that are plain ASCII needing no escape (every key the ledger
    /// writes): the canonical form is then the bytes themselves in quotes, with no transcoding per record.
    /// </summary>
    public JcsWriter Property(ReadOnlySpan<byte> plainAsciiName)
    {
        System.Diagnostics.Debug.Assert(plainAsciiName.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0
            && plainAsciiName.IndexOfAny((byte)'"', (byte)'\\') < 0, "the key needs escaping");
        var span = output.GetSpan(plainAsciiName.Length + 4);
        var at = 0;
        if (!_first)
        {
            span[at++] = (byte)',';
        }

        _first = false;
        span[at++] = (byte)'"';
        plainAsciiName.CopyTo(span[at..]);
        at += plainAsciiName.Length;
        span[at++] = (byte)'"';
        span[at++] = (byte)':';
        output.Advance(at);
        return this;
    }

    public void Number(long value)
    {
        Span<byte> digits = stackalloc byte[24];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        Raw(digits[..written]);
    }

    public void Boolean(bool value) => Raw(value ? "true"u8 : "false"u8);

    /// <summary>A UTC timestamp as a string, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, written digit by digit.</summary>
    public void Timestamp(DateTimeOffset value)
    {
        var t = value.UtcDateTime;
        Span<byte> text = stackalloc byte[26];
        text[0] = (byte)'"';
        Digits(text.Slice(1, 4), t.Year);
        text[5] = (byte)'-';
        Digits(text.Slice(6, 2), t.Month);
        text[8] = (byte)'-';
        Digits(text.Slice(9, 2), t.Day);
        text[11] = (byte)'T';
        Digits(text.Slice(12, 2), t.Hour);
        text[14] = (byte)':';
        Digits(text.Slice(15, 2), t.Minute);
        text[17] = (byte)':';
        Digits(text.Slice(18, 2), t.Second);
        text[20] = (byte)'.';
        Digits(text.Slice(21, 3), t.Millisecond);
        text[24] = (byte)'Z';
        text[25] = (byte)'"';
        Raw(text);
    }

    /// <summary>A decimal as a string in invariant culture without trailing zeros (<c>0.18</c>, never <c>0.180</c>).</summary>
    public void Decimal(decimal value)
    {
        Span<byte> text = stackalloc byte[40];
        value.TryFormat(text[1..], out var written, default, CultureInfo.InvariantCulture);
        var end = written + 1;
        if (text[1..end].Contains((byte)'.'))
        {
            while (text[end - 1] == (byte)'0')
            {
                end--;
            }

            if (text[end - 1] == (byte)'.')
            {
                end--;
            }
        }

        text[0] = (byte)'"';
        text[end] = (byte)'"';
        Raw(text[..(end + 1)]);
    }

    private static void Digits(Span<byte> target, int value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    public void String(string? value)
    {
        if (value is null)
        {
            Raw("null"u8);
            return;
        }

        JsonStringCodec.WriteUtf16(value, output);
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
