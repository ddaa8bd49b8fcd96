using System.Text;

namespace MeshFlow.Api.Tests.Support;

/// <summary>
/// Reads just enough of an OTLP/HTTP protobuf <c>ExportTraceServiceRequest</c> for a test: each span's name, trace id
/// and string, boolean and integer attributes. Fields it does not need are skipped by wire type.
/// </summary>
/// <remarks>
/// The path through opentelemetry-proto: request.resource_spans (1) → scope_spans (2) → spans (2); a span's trace_id
/// (1), name (5) and attributes (9); a KeyValue's key (1) and value (2); an AnyValue's string (1), bool (2), int (3).
/// </remarks>
internal static class OtlpTraceDecoder
{
    public static List<OtlpSpan> Decode(ReadOnlySpan<byte> request)
    {
        var spans = new List<OtlpSpan>();
        foreach (var (field, resourceSpans) in Fields(request.ToArray()))
        {
            if (field != 1)
            {
                continue;
            }

            foreach (var (scopeField, scopeSpans) in Fields(resourceSpans))
            {
                if (scopeField != 2)
                {
                    continue;
                }

                foreach (var (spanField, span) in Fields(scopeSpans))
                {
                    if (spanField == 2)
                    {
                        spans.Add(Span(span));
                    }
                }
            }
        }

        return spans;
    }

    private static OtlpSpan Span(byte[] span)
    {
        string name = string.Empty, traceId = string.Empty;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value) in Fields(span))
        {
            switch (field)
            {
                case 1:
                    traceId = Convert.ToHexStringLower(value);
                    break;
                case 5:
                    name = Encoding.UTF8.GetString(value);
                    break;
                case 9:
                    var (key, text) = KeyValue(value);
                    attributes[key] = text;
                    break;
            }
        }

        return new OtlpSpan(name, traceId, attributes);
    }

    private static (string Key, string Value) KeyValue(byte[] keyValue)
    {
        string key = string.Empty, text = string.Empty;
        foreach (var (field, value) in Fields(keyValue))
        {
            if (field == 1)
            {
                key = Encoding.UTF8.GetString(value);
            }
            else if (field == 2)
            {
                foreach (var (kind, any) in Fields(value))
                {
                    text = kind switch
                    {
                        1 => Encoding.UTF8.GetString(any),
                        2 => ReadVarint(any, 0).Value != 0 ? "true" : "false",
                        3 => ReadVarint(any, 0).Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => text,
                    };
                }
            }
        }

        return (key, text);
    }

    // Each field as (number, bytes): a length-delimited field's contents, a varint's own bytes, a fixed field's bytes.
    private static IEnumerable<(int Field, byte[] Value)> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var (tag, afterTag) = ReadVarint(message, position);
            position = afterTag;
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    var (_, afterVarint) = ReadVarint(message, position);
                    yield return (field, message[position..afterVarint]);
                    position = afterVarint;
                    break;
                case 1:
                    yield return (field, message[position..(position + 8)]);
                    position += 8;
                    break;
                case 2:
                    var (length, afterLength) = ReadVarint(message, position);
                    var end = afterLength + (int)length;
                    yield return (field, message[afterLength..end]);
                    position = end;
                    break;
                case 5:
                    yield return (field, message[position..(position + 4)]);
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {tag & 7} at byte {position} is not one OTLP uses");
            }
        }
    }

    private static (ulong Value, int Next) ReadVarint(byte[] bytes, int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (value, position);
            }
        }

        throw new InvalidDataException("a varint longer than ten bytes");
    }
}
