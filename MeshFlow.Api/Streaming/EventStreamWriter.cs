using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
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

    /// <summary>
    /// Streams the items to the response. What is written is flushed whenever the next item is not there yet (so an
    /// event never waits in the buffer for the next one) or 32 KiB are waiting; items already there (a replay, or a
    /// relay's backlog) go out together, with one flush.
    /// </summary>
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
            await using var enumerator = items.GetAsyncEnumerator(cancellationToken);
            long unflushed = 0;
            while (true)
            {
                // Awaited once, below, whether or not the flush comes first.
#pragma warning disable CA2012
                var next = enumerator.MoveNextAsync();
#pragma warning restore CA2012
                if (unflushed > 0 && (!next.IsCompleted || unflushed >= FlushThreshold))
                {
                    unflushed = 0;
                    try
                    {
                        await writer.FlushAsync(cancellationToken);
                    }
                    catch
                    {
                        // The read in flight ends first (the client's cancellation ends it): an async iterator may not be
                        // disposed while one is.
                        await SettleAsync(next);
                        throw;
                    }
                }

                if (!await next)
                {
                    break;
                }

                unflushed += Write(writer, enumerator.Current, ndjson);
            }

            if (unflushed > 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task SettleAsync(ValueTask<bool> next)
    {
        try
        {
            await next;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }
    }

    // Written but not flushed: at most this much waits for the items that come with it.
    private const int FlushThreshold = 32 * 1024;

    // One item; about how many bytes it took (a response's writer need not count what it holds).
    private static long Write(PipeWriter writer, StreamItem item, bool ndjson)
    {
        if (item.Event is not { } evt)
        {
            // SSE comments keep proxies from closing a quiet stream; NDJSON readers skip blank lines.
            var keepAlive = ndjson ? "\n"u8 : ": keep-alive\n\n"u8;
            writer.Write(keepAlive);
            return keepAlive.Length;
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

        // The JSON, and at most 64 bytes of framing (id, kind).
        return (evt.TryGetUtf8Json(out var utf8) ? utf8.Length : evt.Json.Length) + 64;
    }

    // The event's JSON as it came: UTF-8 bytes relayed from Redis are copied out as they are.
    private static void WriteJson(PipeWriter writer, RunEventEnvelope evt)
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

    private static void Write(PipeWriter writer, string text)
    {
        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
