using System.Runtime.CompilerServices;
using System.Text;
using MeshFlow.Api.Streaming;
using MeshFlow.Api.Tests.Support;
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

    [Fact]
    public async Task Events_already_there_go_out_with_one_flush_and_the_stream_flushes_before_it_waits_for_more()
    {
        var context = new DefaultHttpContext();
        var body = new FlushRecorder();
        context.Response.Body = body;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writing = EventStreamWriter.WriteAsync(context.Response, ItemsAsync(gate.Task), ndjson: true, TestContext.Current.CancellationToken);

        // The fourth event comes only once the first three reached the client: a writer that waited with them unflushed
        // would never get it.
        using (var timeout = new CancellationTokenSource(TestTimeouts.Default))
        {
            while (body.FlushCount < 2)
            {
                await Task.Delay(10, timeout.Token);
            }
        }

        gate.SetResult();
        await writing.WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.Equal(["", Line + Line + Line, Line], body.Flushes);

        static async IAsyncEnumerable<StreamItem> ItemsAsync(Task gate)
        {
            for (var seq = 1; seq <= 3; seq++)
            {
                yield return new StreamItem(Event(seq, Json));
            }

            await gate;
            yield return new StreamItem(Event(4, Json));
        }
    }

    [Fact]
    public async Task A_long_run_of_events_already_there_is_flushed_at_least_every_32_KiB()
    {
        var context = new DefaultHttpContext();
        var body = new FlushRecorder();
        context.Response.Body = body;
        var json = "{\"kind\":\"token_delta\",\"delta\":\"" + new string('x', 1000) + "\"}";
        var items = Enumerable.Range(1, 100).Select(seq => new StreamItem(Event(seq, json))).ToAsyncEnumerable();

        await EventStreamWriter.WriteAsync(context.Response, items, ndjson: true, TestContext.Current.CancellationToken);

        var flushed = body.Flushes.Skip(1).ToList();
        Assert.Equal(string.Concat(Enumerable.Repeat(json + "\n", 100)), string.Concat(flushed));
        Assert.InRange(flushed.Count, 3, 5);
        Assert.All(flushed, chunk => Assert.InRange(Encoding.UTF8.GetByteCount(chunk), 1, (32 * 1024) + json.Length + 64));
    }

    [Fact]
    public async Task A_client_gone_while_the_next_event_is_awaited_ends_the_stream_without_an_error()
    {
        using var aborted = new CancellationTokenSource();
        var context = new DefaultHttpContext();
        var body = new FlushRecorder { FailAfter = 0, OnFail = aborted.Cancel };
        context.Response.Body = body;
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The flush fails (the client went away and the request is aborted) while the next event is being waited for:
        // that read ends first, and the items' own clean-up runs.
        await EventStreamWriter.WriteAsync(context.Response, ItemsAsync(finished), ndjson: true, aborted.Token)
            .WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.True(finished.Task.IsCompleted);
        Assert.Equal(1, body.Writes);

        static async IAsyncEnumerable<StreamItem> ItemsAsync(TaskCompletionSource finished, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                yield return new StreamItem(Event(1, Json));
                await Task.Delay(Timeout.Infinite, cancellationToken);
                yield return new StreamItem(Event(2, Json));
            }
            finally
            {
                finished.SetResult();
            }
        }
    }

    private static string Line => Json + "\n";

    private static RunEventEnvelope Event(long seq, string json) => new(seq, MeshEventKinds.TokenDelta, Encoding.UTF8.GetBytes(json));

    // What the response's stream had received at each flush; fails the writes after the first FailAfter.
    private sealed class FlushRecorder : Stream
    {
        private readonly MemoryStream _pending = new();
        private readonly List<string> _flushes = [];
        private int _writes;

        public List<string> Flushes
        {
            get
            {
                lock (_pending)
                {
                    return [.. _flushes];
                }
            }
        }

        public int FlushCount
        {
            get
            {
                lock (_pending)
                {
                    return _flushes.Count;
                }
            }
        }

        public int Writes => Volatile.Read(ref _writes);

        public int? FailAfter { get; init; }

        public Action? OnFail { get; init; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            lock (_pending)
            {
                _flushes.Add(Encoding.UTF8.GetString(_pending.ToArray()));
                _pending.SetLength(0);
            }

            return Task.CompletedTask;
        }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (_pending)
            {
                if (Interlocked.Increment(ref _writes) > FailAfter)
                {
                    OnFail?.Invoke();
                    throw new OperationCanceledException("the client went away");
                }

                _pending.Write(buffer.Span);
            }

            return ValueTask.CompletedTask;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
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
