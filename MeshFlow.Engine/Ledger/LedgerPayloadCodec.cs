using System.IO.Compression;
using System.Text;

namespace MeshFlow.Ledger;

/// <summary>
/// How payloads are stored: strict UTF-8 bytes, GZip-compressed (fastest level) above
/// <see cref="ILedgerStore.CompressionThresholdBytes"/>, and read back byte-identical. Every store uses it, so
/// the stored form is the same whichever database holds it.
/// </summary>
public static class LedgerPayloadCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bytes to store and whether they are compressed.</summary>
    /// <exception cref="ArgumentException">The text is not valid Unicode (a lone surrogate), so it could not be stored exactly.</exception>
    public static (byte[] Stored, bool Compressed) Pack(string text, string paramName)
    {
        var bytes = Encode(text, paramName);
        if (bytes.Length <= ILedgerStore.CompressionThresholdBytes)
        {
            return (bytes, false);
        }

        using var output = new MemoryStream(bytes.Length / 4);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return (output.ToArray(), true);
    }

    /// <summary>The UTF-8 bytes of a text, refusing text that UTF-8 cannot carry exactly.</summary>
    /// <exception cref="ArgumentException">The text holds a lone surrogate.</exception>
    public static byte[] Encode(string text, string paramName)
    {
        try
        {
            return StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException("the text is not valid Unicode (it holds a lone surrogate), so it cannot be stored exactly", paramName, ex);
        }
    }

    /// <summary>The text of stored bytes.</summary>
    /// <exception cref="InvalidDataException">The stored bytes are not valid GZip or UTF-8.</exception>
    public static string Unpack(byte[] stored, bool compressed)
    {
        var bytes = compressed ? Decompress(stored) : stored;
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException("a stored ledger payload is not valid UTF-8", ex);
        }
    }

    private static byte[] Decompress(byte[] stored)
    {
        using var input = new MemoryStream(stored, writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(stored.Length * 4);
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
