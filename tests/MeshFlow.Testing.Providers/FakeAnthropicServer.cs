using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// Anthropic's Messages API on loopback (<c>POST /v1/messages</c>), speaking its real wire format: the key checked
/// (<c>x-api-key</c>, or <c>Authorization: Bearer</c> as the official .NET SDK sends it) with <c>anthropic-version</c>,
/// a streamed answer as SSE events exactly as the API sends them, a non-streaming message otherwise, and the API's
/// error bodies (<c>authentication_error</c> 401, <c>not_found_error</c> 404 for an unknown model, scripted errors
/// such as <c>rate_limit_error</c> 429 with <c>retry-after</c>).
/// </summary>
/// <remarks>
/// Each request takes the next scripted turn (<see cref="Enqueue"/>), or <see cref="DefaultTurn"/> when none is left.
/// For benchmarks: <c>captureRequests: false</c> keeps nothing per request, and <see cref="AnthropicTurn.Text(int, string)"/>
/// streams any number of deltas with no delay.
/// </remarks>
public sealed class FakeAnthropicServer : FakeProviderServer
{
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    private readonly ConcurrentQueue<AnthropicTurn> _script = new();
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private readonly bool _capture;

    private FakeAnthropicServer(string apiKey, bool capture)
    {
        ApiKey = apiKey;
        _capture = capture;
    }

    /// <summary>The key the server accepts.</summary>
    public string ApiKey { get; }

    /// <summary>The answer to a request when no scripted turn is left.</summary>
    public AnthropicTurn DefaultTurn { get; set; } = AnthropicTurn.Text("Hello", " from", " Claude");

    /// <summary>Which models exist; any other is answered with a 404 <c>not_found_error</c>.</summary>
    public Func<string, bool> IsKnownModel { get; set; } = model => model.StartsWith("claude-", StringComparison.Ordinal);

    /// <summary>Whether each event is flushed as it is written, as the API does (on by default).</summary>
    public bool FlushEachEvent { get; set; } = true;

    /// <summary>The requests received, in order (empty when started without capture).</summary>
    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    /// <summary>Starts a server that accepts <paramref name="apiKey"/>.</summary>
    /// <param name="apiKey">The key the server accepts.</param>
    /// <param name="captureRequests">Whether to keep each request in <see cref="Requests"/>.</param>
    public static async Task<FakeAnthropicServer> StartAsync(string apiKey, bool captureRequests = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var server = new FakeAnthropicServer(apiKey, captureRequests);
        await server.StartCoreAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Scripts the answers of the next requests, in order.</summary>
    public void Enqueue(params AnthropicTurn[] turns)
    {
        foreach (var turn in turns)
        {
            _script.Enqueue(turn);
        }
    }

    /// <inheritdoc />
    protected override void Map(WebApplication app) => app.MapPost("/v1/messages", HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        var body = await WireRequest.ReadBodyAsync(context).ConfigureAwait(false);
        if (_capture)
        {
            _requests.Enqueue(WireRequest.Capture(context, body));
        }

        var response = context.Response;
        response.Headers["request-id"] = AnthropicWire.RequestId();
        var headers = context.Request.Headers;
        var key = headers["x-api-key"].ToString() is { Length: > 0 } apiKey
            ? apiKey
            : headers.Authorization.ToString() is { } authorization && authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : null;
        if (key != ApiKey)
        {
            await ErrorAsync(response, 401, "authentication_error", "invalid x-api-key").ConfigureAwait(false);
            return;
        }

        if (headers["anthropic-version"].ToString() is not { Length: > 0 } version
            || !DateOnly.TryParseExact(version, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            await ErrorAsync(response, 400, "invalid_request_error", "anthropic-version: header is required").ConfigureAwait(false);
            return;
        }

        string model;
        bool stream;
        try
        {
            using var request = JsonDocument.Parse(body);
            var root = request.RootElement;
            if (!root.TryGetProperty("max_tokens", out _) || !root.TryGetProperty("messages", out _))
            {
                await ErrorAsync(response, 400, "invalid_request_error", "max_tokens and messages: Field required").ConfigureAwait(false);
                return;
            }

            model = root.GetProperty("model").GetString()!;
            stream = root.TryGetProperty("stream", out var streamed) && streamed.ValueKind == JsonValueKind.True;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            await ErrorAsync(response, 400, "invalid_request_error", "The request body is not valid JSON with a model").ConfigureAwait(false);
            return;
        }

        if (!IsKnownModel(model))
        {
            await ErrorAsync(response, 404, "not_found_error", $"model: {model}").ConfigureAwait(false);
            return;
        }

        var turn = _script.TryDequeue(out var scripted) ? scripted : DefaultTurn;
        if (turn.ErrorStatus != 0)
        {
            if (turn.RetryAfterSeconds is { } seconds)
            {
                response.Headers["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await ErrorAsync(response, turn.ErrorStatus, turn.ErrorType, turn.ErrorMessage).ConfigureAwait(false);
            return;
        }

        if (!stream)
        {
            response.ContentType = "application/json";
            await response.Body.WriteAsync(AnthropicWire.Message(turn, model), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        await AnthropicWire.StreamAsync(turn, model, new SseSink(response, FlushEachEvent), bedrockMetrics: false, context.RequestAborted).ConfigureAwait(false);
        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ErrorAsync(HttpResponse response, int status, string type, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(AnthropicWire.Error(type, message)).ConfigureAwait(false);
    }

    // The API's SSE framing: "event: <type>\ndata: <json>\n\n", with a ping after the first content block starts.
    private sealed class SseSink(HttpResponse response, bool flushEachEvent) : IAnthropicEventSink
    {
        private bool _pinged;

        public async ValueTask EventAsync(string type, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
        {
            Write(type, json.Span);
            if (!_pinged && type == "content_block_start")
            {
                _pinged = true;
                Write("ping", """{"type": "ping"}"""u8);
            }

            if (flushEachEvent)
            {
                await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask ErrorAsync(string type, string message, CancellationToken cancellationToken)
        {
            Write("error", AnthropicWire.Error(type, message));
            await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        private void Write(string type, ReadOnlySpan<byte> json)
        {
            var writer = response.BodyWriter;
            writer.Write(EventPrefix);
            var name = writer.GetSpan(type.Length);
            var length = Encoding.UTF8.GetBytes(type, name);
            writer.Advance(length);
            writer.Write(DataPrefix);
            writer.Write(json);
            writer.Write(EventEnd);
        }
    }
}
