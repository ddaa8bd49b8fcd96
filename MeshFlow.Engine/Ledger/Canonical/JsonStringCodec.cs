using System.Buffers;
using System.Text.Unicode;

namespace MeshFlow.Ledger.Canonical;

/// <summary>
/// Reads the raw (still escaped) text of JSON strings and writes strings in the RFC 8785 §3.2.2.2 form: only
/// <c>"</c>, <c>\</c> and the controls below U+0020 are escaped (<c>\b \t \n \f \r</c> short, the rest
/// <c>\u00xx</c> in lowercase hex); everything else, <c>/</c>, U+2028 and U+2029 included, is literal UTF-8.
/// </summary>
internal static class JsonStringCodec
{
    private static readonly SearchValues<char> Utf16NeedingEscape = SearchValues.Create(CharactersNeedingEscape());

    private static readonly SearchValues<byte> Utf8NeedingEscape =
        SearchValues.Create(Array.ConvertAll(CharactersNeedingEscape(), static c => (byte)c));

    /// <summary>The largest run written through one <see cref="IBufferWriter{T}.GetSpan"/> call.</summary>
    private const int MaxChunkBytes = 16 * 1024;

    /// <summary>
    /// Decodes the raw content of a JSON string (between its quotes, escapes intact) into UTF-16. The destination
    /// needs at most <paramref name="raw"/>.Length chars: no escape or UTF-8 sequence yields more units than bytes.
    /// </summary>
    /// <returns>The number of chars written.</returns>
    /// <exception cref="FormatException">Invalid UTF-8, a malformed escape or an unpaired surrogate escape.</exception>
    public static int Decode(ReadOnlySpan<byte> raw, Span<char> destination)
    {
        var written = 0;
        while (true)
        {
            var backslash = raw.IndexOf((byte)'\\');
            var literal = backslash < 0 ? raw : raw[..backslash];
            if (!literal.IsEmpty)
            {
                var status = Utf8.ToUtf16(literal, destination[written..], out _, out var chars, replaceInvalidSequences: false);
                if (status != OperationStatus.Done)
                {
                    throw new FormatException("A JSON string is not valid UTF-8.");
                }

                written += chars;
            }

            if (backslash < 0)
            {
                return written;
            }

            raw = raw[backslash..];
            if (raw.Length < 2)
            {
                throw new FormatException("A JSON string ends inside an escape sequence.");
            }

            switch (raw[1])
            {
                case (byte)'"':
                    destination[written++] = '"';
                    raw = raw[2..];
                    break;
                case (byte)'\\':
                    destination[written++] = '\\';
                    raw = raw[2..];
                    break;
                case (byte)'/':
                    destination[written++] = '/';
                    raw = raw[2..];
                    break;
                case (byte)'b':
                    destination[written++] = '\b';
                    raw = raw[2..];
                    break;
                case (byte)'f':
                    destination[written++] = '\f';
                    raw = raw[2..];
                    break;
                case (byte)'n':
                    destination[written++] = '\n';
                    raw = raw[2..];
                    break;
                case (byte)'r':
                    destination[written++] = '\r';
                    raw = raw[2..];
                    break;
                case (byte)'t':
                    destination[written++] = '\t';
                    raw = raw[2..];
                    break;
                case (byte)'u':
                    var unit = ReadUnicodeEscape(raw);
                    if (char.IsLowSurrogate(unit))
                    {
                        throw LoneSurrogate(unit);
                    }

                    if (!char.IsHighSurrogate(unit))
                    {
                        destination[written++] = unit;
                        raw = raw[6..];
                        break;
                    }

                    // A high surrogate escape must be followed at once by a low surrogate escape.
                    if (raw.Length < 12 || raw[6] != (byte)'\\' || raw[7] != (byte)'u')
                    {
                        throw LoneSurrogate(unit);
                    }

                    var low = ReadUnicodeEscape(raw[6..]);
                    if (!char.IsLowSurrogate(low))
                    {
                        throw LoneSurrogate(unit);
                    }

                    destination[written++] = unit;
                    destination[written++] = low;
                    raw = raw[12..];
                    break;
                default:
                    throw new FormatException($"'\\{(char)raw[1]}' is not a JSON escape sequence.");
            }
        }
    }

    /// <summary>Writes a quoted string from UTF-8 that is already known to be valid.</summary>
    public static void WriteUtf8(ReadOnlySpan<byte> content, IBufferWriter<byte> output)
    {
        var next = content.IndexOfAny(Utf8NeedingEscape);
        if (next < 0)
        {
            // The common case: nothing to escape, so one span holds the quotes and the text.
            var span = output.GetSpan(content.Length + 2);
            span[0] = (byte)'"';
            content.CopyTo(span[1..]);
            span[content.Length + 1] = (byte)'"';
            output.Advance(content.Length + 2);
            return;
        }

        WriteByte((byte)'"', output);
        while (next >= 0)
        {
            output.Write(content[..next]);
            WriteEscape(content[next], output);
            content = content[(next + 1)..];
            next = content.IndexOfAny(Utf8NeedingEscape);
        }

        output.Write(content);
        WriteByte((byte)'"', output);
    }

    /// <summary>Writes a quoted string from UTF-16 text.</summary>
    /// <exception cref="FormatException">The text holds an unpaired surrogate.</exception>
    public static void WriteUtf16(ReadOnlySpan<char> content, IBufferWriter<byte> output)
    {
        WriteByte((byte)'"', output);
        var next = content.IndexOfAny(Utf16NeedingEscape);
        while (next >= 0)
        {
            WriteTranscoded(content[..next], output);
            WriteEscape((byte)content[next], output);
            content = content[(next + 1)..];
            next = content.IndexOfAny(Utf16NeedingEscape);
        }

        WriteTranscoded(content, output);
        WriteByte((byte)'"', output);
    }

    /// <summary>Writes one byte.</summary>
    public static void WriteByte(byte value, IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    /// <summary>The exception for an unpaired surrogate, which RFC 8785 (I-JSON) does not allow.</summary>
    public static FormatException LoneSurrogate(char unit) =>
        new($"A JSON string holds the unpaired surrogate U+{(int)unit:X4}; RFC 8785 requires well-formed Unicode.");

    private static void WriteTranscoded(ReadOnlySpan<char> chars, IBufferWriter<byte> output)
    {
        while (!chars.IsEmpty)
        {
            // At least 4 bytes so every call makes progress; at most one chunk so huge strings stay bounded.
            var sizeHint = (int)Math.Clamp(chars.Length * 3L, 4, MaxChunkBytes);
            var span = output.GetSpan(sizeHint);
            var status = Utf8.FromUtf16(chars, span, out var read, out var written, replaceInvalidSequences: false);
            output.Advance(written);
            if (status == OperationStatus.InvalidData)
            {
                throw LoneSurrogate(chars[read]);
            }

            chars = chars[read..];
        }
    }

    private static void WriteEscape(byte character, IBufferWriter<byte> output)
    {
        var shortForm = character switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'\b' => (byte)'b',
            (byte)'\t' => (byte)'t',
            (byte)'\n' => (byte)'n',
            (byte)'\f' => (byte)'f',
            (byte)'\r' => (byte)'r',
            _ => (byte)0,
        };

        if (shortForm != 0)
        {
            var pair = output.GetSpan(2);
            pair[0] = (byte)'\\';
            pair[1] = shortForm;
            output.Advance(2);
            return;
        }

        var escape = output.GetSpan(6);
        escape[0] = (byte)'\\';
        escape[1] = (byte)'u';
        escape[2] = (byte)'0';
        escape[3] = (byte)'0';
        escape[4] = LowerHex(character >> 4);
        escape[5] = LowerHex(character & 0xF);
        output.Advance(6);
    }

    private static byte LowerHex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + (nibble - 10));

    /// <summary>Reads the UTF-16 unit of a <c>\uXXXX</c> escape at the start of <paramref name="escape"/>.</summary>
    private static char ReadUnicodeEscape(ReadOnlySpan<byte> escape)
    {
        if (escape.Length < 6)
        {
            throw new FormatException("A JSON string ends inside a \\u escape.");
        }

        var unit = 0;
        for (var i = 2; i < 6; i++)
        {
            var c = escape[i];
            var nibble = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
                _ => throw new FormatException("A \\u escape in a JSON string needs four hexadecimal digits."),
            };
            unit = (unit << 4) | nibble;
        }

        return (char)unit;
    }

    /// <summary>The controls U+0000 to U+001F, <c>"</c> and <c>\</c>.</summary>
    private static char[] CharactersNeedingEscape()
    {
        var characters = new char[0x22];
        for (var i = 0; i < 0x20; i++)
        {
            characters[i] = (char)i;
        }

        characters[0x20] = '"';
        characters[0x21] = '\\';
        return characters;
    }
}
