using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Tests.Support;

/// <summary>
/// A small OpenAI-compatible chat-completions server on loopback that speaks the real streaming wire format:
/// <c>chat.completion.chunk</c> SSE events, a finish reason, usage in the last chunk, then <c>data: [DONE]</c>.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpenAiServer(WebApplication app, string expectedKey, IReadOnlyList<string> chunks, bool reportUsage)
    {
        _app = app;
        ExpectedKey = expectedKey;
        Chunks = chunks;
        ReportUsage = reportUsage;
    }

    public string ExpectedKey { get; }

    public IReadOnlyList<string> Chunks { get; }

    public bool ReportUsage { get; }

    /// <summary>How long the server waits before each content chunk (zero: none), to keep a step in flight.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>When set, the SSE <c>data:</c> payloads sent instead of the chunks (no <c>[DONE]</c> unless one of them).</summary>
    public IReadOnlyList<string>? RawFrames { get; init; }

    /// <summary>When set, every content token's log-probability, sent (as OpenAI does) only to a request that asks for them.</summary>
    public double? TokenLogProbability { get; init; }

    public List<JsonObject> Requests { get; } = [];

    /// <summary>How many of the next requests are answered with <see cref="FailureStatus"/> instead of a stream.</summary>
    public int FailNext { get => _failNext; set => _failNext = value; }

    /// <summary>The status of a failed answer (503 unless set), with OpenAI's error body.</summary>
    public int FailureStatus { get; set; } = StatusCodes.Status503ServiceUnavailable;

    /// <summary>The <c>Retry-After</c> header of a failed answer, when set.</summary>
    public string? RetryAfter { get; set; }

    /// <summary>When set, the next stream is cut (the connection aborted) after this many content chunks; once.</summary>
    public int? BreakAfterChunks { get; set; }

    private int _failNext;

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<FakeOpenAiServer> StartAsync(string expectedKey, IReadOnlyList<string> chunks, bool reportUsage = true,
        TimeSpan chunkDelay = default, IReadOnlyList<string>? rawFrames = null, double? tokenLogProbability = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAiServer(app, expectedKey, chunks, reportUsage) { ChunkDelay = chunkDelay, RawFrames = rawFrames, TokenLogProbability = tokenLogProbability };
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address + "/v1");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        lock (Requests)
        {
            Requests.Add(body);
        }

        if (context.Request.Headers.Authorization.ToString() != $"Bearer {ExpectedKey}")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new
            {
                // Echoes the key it was sent, as a careless proxy would: what MeshFlow reports must mask it.
                error = new { message = $"Incorrect API key provided: {context.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal)}.", type = "invalid_request_error", code = "invalid_api_key" },
            });
            return;
        }

        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            context.Response.StatusCode = FailureStatus;
            if (RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            await context.Response.WriteAsJsonAsync(new
            {
                error = new { message = FailureStatus == 429 ? "Rate limit reached for requests" : "The server is overloaded.", type = FailureStatus == 429 ? "requests" : "server_error", code = (string?)null },
            });
            return;
        }

        Interlocked.Exchange(ref _failNext, 0);
        var breakAfter = BreakAfterChunks;
        BreakAfterChunks = null;
        var model = body["model"]!.GetValue<string>();
        context.Response.ContentType = "text/event-stream";
        const string Id = "chatcmpl-meshflow-test";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        async Task Send(object payload)
        {
            await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(payload) + "\n\n");
            await context.Response.Body.FlushAsync();
        }

        var sendLogProbs = TokenLogProbability is not null && body["logprobs"]?.GetValue<bool>() == true;
        object Chunk(object delta, string? finish, string? token = null) => new
        {
            id = Id, @object = "chat.completion.chunk", created, model, system_fingerprint = "fp_test",
            choices = new[]
            {
                new
                {
                    index = 0, delta,
                    logprobs = sendLogProbs && token is not null
                        ? (object?)new { content = new[] { new { token, logprob = TokenLogProbability!.Value, bytes = System.Text.Encoding.UTF8.GetBytes(token).Select(b => (int)b).ToArray(), top_logprobs = Array.Empty<object>() } }, refusal = (string?)null }
                        : null,
                    finish_reason = finish,
                },
            },
        };

        if (RawFrames is { } frames)
        {
            foreach (var frame in frames)
            {
                await context.Response.WriteAsync("data: " + frame + "\n\n");
                await context.Response.Body.FlushAsync();
            }

            return;
        }

        await Send(Chunk(new { role = "assistant", content = "" }, null));
        var sent = 0;
        foreach (var chunk in Chunks)
        {
            if (sent++ == breakAfter)
            {
                // A provider that goes away mid-answer: the connection drops without the stream's end. The pause lets
                // the chunks already flushed leave Kestrel's buffers first, which an immediate abort would discard.
                await Task.Delay(TimeSpan.FromSeconds(1));
                context.Abort();
                return;
            }

            if (ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(ChunkDelay, context.RequestAborted);
            }

            await Send(Chunk(new { content = chunk }, null, chunk));
        }

        await Send(Chunk(new { }, "stop"));
        var includeUsage = body["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        if (ReportUsage && includeUsage)
        {
            await Send(new
            {
                id = Id, @object = "chat.completion.chunk", created, model, system_fingerprint = "fp_test",
                choices = Array.Empty<object>(),
                usage = new { prompt_tokens = 42, completion_tokens = Chunks.Count, total_tokens = 42 + Chunks.Count },
            });
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
