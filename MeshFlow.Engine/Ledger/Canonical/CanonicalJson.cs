using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace MeshFlow.Ledger.Canonical;

/// <summary>
/// The JSON Canonicalization Scheme of RFC 8785 (JCS): one exact UTF-8 byte sequence per JSON value, so that equal
/// data always hashes and signs the same.
/// </summary>
/// <remarks>
/// <para>
/// The canonical form has no whitespace; literals are written as <c>true</c>, <c>false</c> and <c>null</c>; arrays keep
/// their order; object members are sorted by their unescaped names compared as arrays of UTF-16 code units
/// (§3.2.3); strings escape only <c>"</c>, <c>\</c> and controls below U+0020 (§3.2.2.2); numbers are written the
/// way ECMAScript's <c>Number.prototype.toString()</c> writes them (§3.2.2.3, see <see cref="FormatNumber"/>).
/// </para>
/// <para>
/// RFC 8785 treats every JSON number as an IEEE-754 double. Numbers are therefore read as <see cref="double"/>:
/// integers beyond 2^53 (9007199254740992) lose precision exactly as the RFC describes, so <c>9007199254740993</c>
/// canonicalizes to <c>9007199254740992</c>, and a number outside the double range is rejected. Values that must
/// survive exactly (large identifiers, money) belong in strings.
/// </para>
/// <para>
/// The input must be I-JSON (RFC 7493), as RFC 8785 requires: duplicate member names and unpaired surrogates (escaped
/// or not) are rejected with a <see cref="FormatException"/>.
/// </para>
/// </remarks>
public static class CanonicalJson
{
    /// <summary>Returns the canonical UTF-8 form of <paramref name="value"/>.</summary>
    /// <param name="value">The JSON value to canonicalize.</param>
    /// <returns>The canonical form as UTF-8 bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is the default (undefined) element.</exception>
    /// <exception cref="FormatException">
    /// The value is not I-JSON: a duplicate member name, an unpaired surrogate, or a number outside the double range.
    /// </exception>
    public static byte[] Canonicalize(JsonElement value)
    {
        ThrowIfUndefined(value);
        var output = new ArrayBufferWriter<byte>(Math.Max(JsonMarshal.GetRawUtf8Value(value).Length, 16));
        WriteValue(value, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes the canonical UTF-8 form of <paramref name="value"/> straight into <paramref name="output"/>, for example
    /// into a hash's buffer. If an exception is thrown, part of the value may already have been written.
    /// </summary>
    /// <param name="value">The JSON value to canonicalize.</param>
    /// <param name="output">Where the canonical bytes go.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is the default (undefined) element.</exception>
    /// <exception cref="FormatException">
    /// The value is not I-JSON: a duplicate member name, an unpaired surrogate, or a number outside the double range.
    /// </exception>
    public static void Write(JsonElement value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ThrowIfUndefined(value);
        WriteValue(value, output);
    }

    /// <summary>Parses <paramref name="json"/> and returns its canonical UTF-8 form.</summary>
    /// <param name="json">JSON text: one value, no comments, no trailing commas.</param>
    /// <returns>The canonical form as UTF-8 bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">
    /// <paramref name="json"/> is not valid JSON, or not I-JSON: a duplicate member name, an unpaired surrogate, or a
    /// number outside the double range.
    /// </exception>
    public static byte[] Canonicalize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);

        // Transcode strictly ourselves: a lone surrogate in the text must fail, not become U+FFFD.
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var status = Utf8.FromUtf16(json, utf8, out var read, out var length, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw JsonStringCodec.LoneSurrogate(json[read]);
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(utf8.AsMemory(0, length));
            }
            catch (JsonException exception)
            {
                throw new FormatException($"The text is not valid JSON: {exception.Message}", exception);
            }

            using (document)
            {
                return Canonicalize(document.RootElement);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>
    /// Serializes <paramref name="value"/> with <see cref="JsonSerializer"/> and returns the canonical UTF-8 form of
    /// the result. Property naming, converters and ignore rules come from <paramref name="options"/>; the member
    /// order the serializer chose does not matter, since members are sorted.
    /// </summary>
    /// <remarks>
    /// The serializer itself replaces unpaired surrogates in .NET strings with U+FFFD before canonicalization sees
    /// them, so such strings do not raise a <see cref="FormatException"/> here (unlike escaped ones in JSON text).
    /// </remarks>
    /// <typeparam name="T">The type to serialize.</typeparam>
    /// <param name="value">The value to serialize.</param>
    /// <param name="options">Serializer options, or null for the defaults.</param>
    /// <returns>The canonical form as UTF-8 bytes.</returns>
    /// <exception cref="FormatException">
    /// The serialized value is not I-JSON: a duplicate member name, an unpaired surrogate, or a number outside the
    /// double range.
    /// </exception>
    /// <exception cref="NotSupportedException">The serializer cannot serialize <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode("Reflection-based JSON serialization; the members of T may be trimmed.")]
    [RequiresDynamicCode("Reflection-based JSON serialization may need runtime code generation.")]
    public static byte[] Serialize<T>(T value, JsonSerializerOptions? options = null) =>
        Canonicalize(JsonSerializer.SerializeToElement(value, options));

    /// <summary>
    /// Formats a double exactly as ECMAScript's <c>Number.prototype.toString()</c> does, which is the number form
    /// RFC 8785 §3.2.2.3 requires: the shortest digits that round-trip (ties to the closer, then the even, value),
    /// plain notation when 1e-7 &lt; |x| &lt; 1e21 (<c>0.000001</c>, <c>295147905179352830000</c>) and exponent
    /// notation otherwise (<c>1e+21</c>, <c>1.5e-7</c>). Negative zero is written as <c>0</c>.
    /// </summary>
    /// <param name="value">A finite double.</param>
    /// <returns>The ECMAScript text of <paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="value"/> is NaN or infinite, which JSON cannot carry.
    /// </exception>
    public static string FormatNumber(double value) => EcmaScriptNumber.Format(value);

    private static void ThrowIfUndefined(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The JSON element is undefined (default); there is no value to canonicalize.", nameof(value));
        }
    }

    private static void WriteValue(JsonElement value, IBufferWriter<byte> output)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(value, output);
                break;
            case JsonValueKind.Array:
                WriteArray(value, output);
                break;
            case JsonValueKind.String:
                WriteString(value, output);
                break;
            case JsonValueKind.Number:
                WriteNumber(value, output);
                break;
            case JsonValueKind.True:
                output.Write("true"u8);
                break;
            case JsonValueKind.False:
                output.Write("false"u8);
                break;
            case JsonValueKind.Null:
                output.Write("null"u8);
                break;
            default:
                throw new ArgumentException($"A JSON element of kind {value.ValueKind} cannot be canonicalized.", nameof(value));
        }
    }

    private static void WriteArray(JsonElement array, IBufferWriter<byte> output)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        JsonStringCodec.WriteByte((byte)'[', output);
        var first = true;
        foreach (var item in array.EnumerateArray())
        {
            if (!first)
            {
                JsonStringCodec.WriteByte((byte)',', output);
            }

            first = false;
            WriteValue(item, output);
        }

        JsonStringCodec.WriteByte((byte)']', output);
    }

    private static void WriteObject(JsonElement obj, IBufferWriter<byte> output)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();

        // First pass: sizes. A decoded name never has more UTF-16 units than its raw text has bytes.
        var count = 0;
        var rawNameBytes = 0;
        foreach (var property in obj.EnumerateObject())
        {
            count++;
            rawNameBytes += JsonMarshal.GetRawUtf8PropertyName(property).Length;
        }

        if (count == 0)
        {
            output.Write("{}"u8);
            return;
        }

        var entries = ArrayPool<PropertyEntry>.Shared.Rent(count);
        var names = ArrayPool<char>.Shared.Rent(Math.Max(rawNameBytes, 1));
        try
        {
            // Second pass: decode every name once into the shared buffer, then sort by it.
            var index = 0;
            var offset = 0;
            foreach (var property in obj.EnumerateObject())
            {
                var raw = JsonMarshal.GetRawUtf8PropertyName(property);
                var length = JsonStringCodec.Decode(raw, names.AsSpan(offset));
                entries[index++] = new PropertyEntry(property, offset, length, raw.Contains((byte)'\\'));
                offset += length;
            }

            var sorted = entries.AsSpan(0, count);
            ReadOnlySpan<char> nameText = names.AsSpan(0, offset);
            PropertySorter.Sort(sorted, nameText);

            // Sorted, equal names are neighbours. Checked before writing so a rejected object leaves no output.
            for (var i = 1; i < sorted.Length; i++)
            {
                if (PropertySorter.Compare(sorted[i - 1], sorted[i], nameText) == 0)
                {
                    throw DuplicateName(PropertySorter.NameOf(sorted[i], nameText));
                }
            }

            JsonStringCodec.WriteByte((byte)'{', output);
            for (var i = 0; i < sorted.Length; i++)
            {
                ref readonly var entry = ref sorted[i];
                if (i > 0)
                {
                    JsonStringCodec.WriteByte((byte)',', output);
                }

                if (entry.NameHasEscapes)
                {
                    JsonStringCodec.WriteUtf16(PropertySorter.NameOf(entry, nameText), output);
                }
                else
                {
                    // Already validated as UTF-8 by Decode; the raw bytes are the name.
                    JsonStringCodec.WriteUtf8(JsonMarshal.GetRawUtf8PropertyName(entry.Property), output);
                }

                JsonStringCodec.WriteByte((byte)':', output);
                WriteValue(entry.Property.Value, output);
            }

            JsonStringCodec.WriteByte((byte)'}', output);
        }
        finally
        {
            // The entries reference their document; clear them so the pool does not keep it alive.
            entries.AsSpan(0, count).Clear();
            ArrayPool<PropertyEntry>.Shared.Return(entries);
            ArrayPool<char>.Shared.Return(names);
        }
    }

    private static void WriteString(JsonElement value, IBufferWriter<byte> output)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var content = raw[1..^1];
        if (!content.Contains((byte)'\\'))
        {
            if (!Utf8.IsValid(content))
            {
                throw new FormatException("A JSON string is not valid UTF-8.");
            }

            JsonStringCodec.WriteUtf8(content, output);
            return;
        }

        var decoded = ArrayPool<char>.Shared.Rent(content.Length);
        try
        {
            var length = JsonStringCodec.Decode(content, decoded);
            JsonStringCodec.WriteUtf16(decoded.AsSpan(0, length), output);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(decoded);
        }
    }

    private static void WriteNumber(JsonElement value, IBufferWriter<byte> output)
    {
        if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw new FormatException(
                $"The JSON number {value.GetRawText()} is outside the IEEE-754 double range, which RFC 8785 requires.");
        }

        var span = output.GetSpan(EcmaScriptNumber.MaxLength);
        output.Advance(EcmaScriptNumber.Format(number, span));
    }

    private static FormatException DuplicateName(ReadOnlySpan<char> name)
    {
        const int MaxShown = 64;
        var shown = name.Length <= MaxShown ? name.ToString() : string.Concat(name[..MaxShown], "…");
        return new FormatException(
            $"The JSON object has the member name \"{shown}\" more than once; RFC 8785 requires unique names (I-JSON).");
    }
}
