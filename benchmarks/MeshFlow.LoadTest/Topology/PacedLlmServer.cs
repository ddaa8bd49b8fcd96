using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.LoadTest.Topology;

/// <summary>
/// An OpenAI-compatible chat-completions server on loopback that streams its reply slowly: the model name says how,
/// <c>&lt;name&gt;-&lt;delay&gt;ms-&lt;chunks&gt;</c> (<c>hold-1000ms-600</c>: 600 chunks, one a second). It speaks the wire
/// format of tests/MeshFlow.Engine.Tests/Support/FakeOpenAiServer.cs (<c>chat.completion.chunk</c> SSE events, a
/// finish reason, usage when asked, <c>data: [DONE]</c>), with the pace chosen per request rather than per server.
/// </summary>
internal sealed class PacedLlmServer : IAsyncDisposable
{
    public const string Key = "load-llm-key";

    // Each model's response, encoded once (see Encode).
    private static readonly ConcurrentDictionary<(string Model, int Chunks, bool IncludeUsage), byte[][]> Frames = new();

    private readonly WebApplication _app;
    private readonly ChunkPacer _pacer;

    private PacedLlmServer(WebApplication app, ChunkPacer pacer, Uri endpoint)
    {
        _app = app;
        _pacer = pacer;
        Endpoint = endpoint;
    }

    /// <summary>The base address an OpenAI client is given (ends in <c>/v1</c>).</summary>
    public Uri Endpoint { get; }

    /// <summary>The model name that streams <paramref name="chunks"/> chunks, <paramref name="delay"/> apart.</summary>
    public static string Model(string name, TimeSpan delay, int chunks) =>
        string.Create(CultureInfo.InvariantCulture, $"{name}-{(int)delay.TotalMilliseconds}ms-{chunks}");

    public static async Task<PacedLlmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // A chunk is sent by the thread that writes it (the pacer's), not handed to Kestrel's I/O queue first.
        builder.WebHost.UseSockets(options => options.UnsafePreferInlineScheduling = true);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var pacer = new ChunkPacer();
        app.MapPost("/v1/chat/completions", (HttpContext context) => HandleAsync(context, pacer));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PacedLlmServer(app, pacer, new Uri(address + "/v1"));
    }

    private static async Task HandleAsync(HttpContext context, ChunkPacer pacer)
    {
        string model;
        bool includeUsage;
        using (var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted))
        {
            model = body.RootElement.GetProperty("model").GetString() ?? "unnamed";
            includeUsage = body.RootElement.TryGetProperty("stream_options", out var stream)
                && stream.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True;
        }

        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Key}")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("""{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}""");
            return;
        }

        var (delay, chunks) = Pace(model);
        context.Response.ContentType = "text/event-stream";
        var frames = Frames.GetOrAdd((model, chunks, includeUsage), static key => Encode(key.Model, key.Chunks, key.IncludeUsage));
        var writer = context.Response.BodyWriter;
        var cancellation = context.RequestAborted;
        try
        {
            // The frames are encoded once per model: on a machine shared with the topology, the generator's own
            // allocations (and so its GC pauses, which would delay the stamps of every stream) stay small. Chunk i is
            // due i paces after the first, on the pacer's precise clock (see ChunkPacer), without drift.
            using var pace = delay > TimeSpan.Zero ? pacer.CreateTicker(cancellation) : null;
            var start = Stopwatch.GetTimestamp();
            var paceTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
            for (var i = 0; i < frames.Length; i++)
            {
                if (pace is not null && i >= 1 && i <= chunks && !await pace.WaitUntilAsync(start + i * paceTicks))
                {
                    return;
                }

                await writer.WriteAsync(frames[i], cancellation);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The worker cancelled the step (its run was cancelled) or went away.
        }
    }

    // The response's SSE frames: the role, one frame per chunk, the finish reason, usage when asked, [DONE].
    private static byte[][] Encode(string model, int chunks, bool includeUsage)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var head = $$"""{"id":"chatcmpl-meshflow-load","object":"chat.completion.chunk","created":{{created}},"model":"{{model}}","system_fingerprint":"fp_load","choices":""";
        var frames = new List<string> { head + """[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""" };
        for (var i = 1; i <= chunks; i++)
        {
            frames.Add(head + $$"""[{"index":0,"delta":{"content":"t{{i}} "},"logprobs":null,"finish_reason":null}]}""");
        }

        frames.Add(head + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""");
        if (includeUsage)
        {
            frames.Add(head + $$$"""[],"usage":{"prompt_tokens":42,"completion_tokens":{{{chunks}}},"total_tokens":{{{42 + chunks}}}}}""");
        }

        frames.Add("[DONE]");
        return [.. frames.Select(f => Encoding.UTF8.GetBytes("data: " + f + "\n\n"))];
    }

    private static (TimeSpan Delay, int Chunks) Pace(string model)
    {
        var parts = model.Split('-');
        return parts.Length >= 3
            && parts[^2].EndsWith("ms", StringComparison.Ordinal)
            && int.TryParse(parts[^2].AsSpan(0, parts[^2].Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var chunks)
            ? (TimeSpan.FromMilliseconds(ms), chunks)
            : (TimeSpan.Zero, 30);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _pacer.Dispose();
    }
}
