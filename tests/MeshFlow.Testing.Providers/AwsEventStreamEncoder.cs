using System.Buffers.Binary;
using System.Text;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// The AWS event stream framing (<c>application/vnd.amazon.eventstream</c>) that Bedrock streams answers in: each
/// message is a prelude (total length, headers length, CRC32 of both), string headers, the payload, and a CRC32 of all
/// of it, every number big-endian.
/// </summary>
public static class AwsEventStreamEncoder
{
    private const byte StringHeader = 7;

    private static readonly uint[] Crc32Table = BuildTable();

    /// <summary>One encoded message with <paramref name="headers"/> (string values) and <paramref name="payload"/>.</summary>
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var headersLength = 0;
        foreach (var (name, value) in headers)
        {
            headersLength += 1 + Encoding.UTF8.GetByteCount(name) + 1 + 2 + Encoding.UTF8.GetByteCount(value);
        }

        var total = 12 + headersLength + payload.Length + 4;
        var message = new byte[total];
        var span = message.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span, total);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], Crc32(span[..8]));
        var at = 12;
        foreach (var (name, value) in headers)
        {
            var nameLength = Encoding.UTF8.GetBytes(name, span[(at + 1)..]);
            span[at] = (byte)nameLength;
            at += 1 + nameLength;
            span[at++] = StringHeader;
            var valueLength = Encoding.UTF8.GetBytes(value, span[(at + 2)..]);
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)valueLength);
            at += 2 + valueLength;
        }

        payload.CopyTo(span[at..]);
        at += payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], Crc32(span[..at]));
        return message;
    }

    /// <summary>CRC-32 (IEEE 802.3, as the framing uses).</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = uint.MaxValue;
        foreach (var b in bytes)
        {
            crc = (crc >> 8) ^ Crc32Table[(crc ^ b) & 0xFF];
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < table.Length; i++)
        {
            var entry = i;
            for (var bit = 0; bit < 8; bit++)
            {
                entry = (entry & 1) == 1 ? (entry >> 1) ^ 0xEDB88320u : entry >> 1;
            }

            table[i] = entry;
        }

        return table;
    }
}
