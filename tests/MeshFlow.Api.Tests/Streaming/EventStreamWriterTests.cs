using System.Text;
using MeshFlow.Api.Streaming;
using MeshFlow.Events;
using MeshFlow.Runtime;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Api.Tests.Streaming;

public sealed class EventStreamWriterTests
{
    private const string Json = """{"kind":"token_delta","seq":1,"delta":"naïve ✓"}""";

    // The same event twice: as the API serializes it (a string), and as it arrives from Redis (UTF-8 bytes).
    private static readonly StreamItem[] Items =
    [
        new(new RunEventEnvelope(1, MeshEventKinds.TokenDelta, Json)),
        StreamItem.KeepAlive,
        new(new RunEventEnvelope(2, MeshEventKinds.TokenDelta, Encoding.UTF8.GetBytes(Json))),
    ];

    [Fact]
    public async Task Sse_writes_an_event_relayed_as_utf8_bytes_exactly_as_one_serialized_as_a_string()
    {
        var (body, contentType) = await WriteAsync(ndjson: false);

        Assert.Equal("text/event-stream", contentType);
        Assert.Equal($"id: 1\nevent: token_delta\ndata: {Json}\n\n: keep-alive\n\nid: 2\nevent: token_delta\ndata: {Json}\n\n", body);
    }

    [Fact]
    public async Task Ndjson_writes_an_event_relayed_as_utf8_bytes_exactly_as_one_serialized_as_a_string()
    {
        var (body, contentType) = await WriteAsync(ndjson: true);

        Assert.Equal(EventStreamWriter.NdjsonMediaType, contentType);
        Assert.Equal($"{Json}\n\n{Json}\n", body);
    }

    private static async Task<(string Body, string? ContentType)> WriteAsync(bool ndjson)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await EventStreamWriter.WriteAsync(context.Response, Items.ToAsyncEnumerable(), ndjson, TestContext.Current.CancellationToken);
        await context.Response.BodyWriter.CompleteAsync();

        return (Encoding.UTF8.GetString(body.ToArray()), context.Response.ContentType);
    }
}
