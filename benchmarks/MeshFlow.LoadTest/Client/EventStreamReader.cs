using System.Buffers;
using System.IO.Pipelines;

namespace MeshFlow.LoadTest.Client;

/// <summary>Reads a run's event stream, NDJSON lines or SSE <c>data:</c> lines, up to its <c>run_end</c>.</summary>
internal static class EventStreamReader
{
    /// <summary>
    /// Reads until <c>run_end</c> (returned) or the end of the body (null). <paramref name="onEvent"/> sees each event
    /// with the moment the read that delivered it returned: events that arrived together share it.
    /// </summary>
    public static async Task<EventLine?> ReadToRunEndAsync(Stream body, Action<EventLine, ReceiveStamp>? onEvent, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var stamp = ReceiveStamp.Now();
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    if (Payload(line) is not { } json)
                    {
                        // Keep-alives, SSE comments, and SSE id/event lines (the data line says it all).
                        continue;
                    }

                    if (!EventLine.TryParse(json, out var evt))
                    {
                        continue;
                    }

                    onEvent?.Invoke(evt, stamp);
                    if (evt.Kind == EventKind.RunEnd)
                    {
                        return evt;
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return null;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    // The JSON of an NDJSON line or an SSE data line; null for anything else.
    private static ReadOnlySequence<byte>? Payload(ReadOnlySequence<byte> line)
    {
        Span<byte> head = stackalloc byte[6];
        var start = head[..(int)Math.Min(line.Length, head.Length)];
        line.Slice(0, start.Length).CopyTo(start);
        return start.SequenceEqual("data: "u8) ? line.Slice(6)
            : start.Length > 0 && start[0] == (byte)'{' ? line
            : null;
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        if (buffer.PositionOf((byte)'\n') is not { } end)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, end);
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        return true;
    }
}
