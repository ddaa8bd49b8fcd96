using System.Buffers;
using System.Globalization;
using System.Text;
using MeshFlow.Runtime;

namespace MeshFlow.Api.Streaming;

/// <summary>Writes a run's events to the response as they come: SSE (<c>id</c>, <c>event</c>, <c>data</c>) or NDJSON.</summary>
public static class EventStreamWriter
{
    /// <summary>The NDJSON media type.</summary>
    public const string NdjsonMediaType = "application/x-ndjson";

    /// <summary>Whether the client asked for NDJSON rather than SSE.</summary>
    public static bool WantsNdjson(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.Accept.Any(a => a is not null && a.Contains(NdjsonMediaType, StringComparison.OrdinalIgnoreCase))
            || string.Equals(request.Query["format"], "ndjson", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Streams the items to the response, flushing each event as it is written.</summary>
    public static async Task WriteAsync(HttpResponse response, IAsyncEnumerable<StreamItem> items, bool ndjson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(items);
        response.ContentType = ndjson ? NdjsonMediaType : "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(cancellationToken);

        var writer = response.BodyWriter;
        try
        {
            await foreach (var item in items.WithCancellation(cancellationToken))
            {
                if (item.Event is not { } evt)
                {
                    // SSE comments keep proxies from closing a quiet stream; NDJSON readers skip blank lines.
                    writer.Write(ndjson ? "\n"u8 : ": keep-alive\n\n"u8);
                }
                else if (ndjson)
                {
                    WriteJson(writer, evt);
                    writer.Write("\n"u8);
                }
                else
                {
                    writer.Write("id: "u8);
                    Write(writer, evt.Seq.ToString(CultureInfo.InvariantCulture));
                    writer.Write("\nevent: "u8);
                    Write(writer, evt.Kind);
                    writer.Write("\ndata: "u8);
                    WriteJson(writer, evt);
                    writer.Write("\n\n"u8);
                }

                await writer.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    // The event's JSON as it came: UTF-8 bytes relayed from Redis are copied out as they are.
    private static void WriteJson(System.IO.Pipelines.PipeWriter writer, RunEventEnvelope evt)
    {
        if (evt.TryGetUtf8Json(out var utf8))
        {
            writer.Write(utf8);
        }
        else
        {
            Write(writer, evt.Json);
        }
    }

    private static void Write(System.IO.Pipelines.PipeWriter writer, string text)
    {
        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
