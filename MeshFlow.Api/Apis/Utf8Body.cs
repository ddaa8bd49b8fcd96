using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Apis;

/// <summary>
/// A request body read whole and checked to be UTF-8, the one encoding MeshFlow's JSON and YAML bodies are read in:
/// bytes that are not UTF-8 answer a 400 naming the first bad byte, rather than being decoded into replacement
/// characters or failing later inside a parser.
/// </summary>
public static class Utf8Body
{
    // A Content-Length is a hint, not a promise: the buffer grows as bytes arrive beyond this.
    private const int InitialCapacityLimit = 1024 * 1024;

    /// <summary>The body's bytes, or the 400 that names the offset of the first byte that is not UTF-8.</summary>
    /// <remarks>The size limit (<c>MESHFLOW_MAX_REQUEST_BYTES</c>) applies while the body is read.</remarks>
    public static async Task<(ReadOnlyMemory<byte> Bytes, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)Math.Min(length, InitialCapacityLimit) : 4096);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(4096), cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
        }

        var bytes = buffer.WrittenMemory;
        return FirstInvalidByte(bytes.Span) is { } offset
            ? (default, NotUtf8(bytes.Span, offset))
            : (bytes, null);
    }

    /// <summary>The body as text, or the 400 that names the offset of the first byte that is not UTF-8.</summary>
    public static async Task<(string? Text, ProblemHttpResult? Problem)> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (bytes, problem) = await ReadAsync(request, cancellationToken);
        return problem is null ? (Encoding.UTF8.GetString(bytes.Span), null) : (null, problem);
    }

    /// <summary>The offset of the first byte that does not belong to a well-formed UTF-8 sequence; null when there is none.</summary>
    public static long? FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return null;
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return null;
    }

    private static ProblemHttpResult NotUtf8(ReadOnlySpan<byte> bytes, long offset) =>
        ApiProblems.BadRequest("body", string.Create(CultureInfo.InvariantCulture,
            $"the body is not valid UTF-8: the byte at offset {offset} (0x{bytes[(int)offset]:X2}) does not belong to a UTF-8 sequence; send the text encoded as UTF-8"));
}
