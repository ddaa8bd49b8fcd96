using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// AWS Bedrock's runtime on loopback, as the Anthropic SDK's Bedrock client and OpenAI clients call it:
/// <c>POST /model/{modelId}/invoke</c> and <c>/invoke-with-response-stream</c> for Claude (Anthropic's message body
/// with <c>anthropic_version</c>; the stream in the AWS event stream framing, each Anthropic event base64-encoded in a
/// <c>chunk</c>), and <c>POST /openai/v1/chat/completions</c>, Bedrock's OpenAI-compatible endpoint for other models.
/// </summary>
/// <remarks>
/// Claude requests must carry a SigV4 signature made with the server's access key and secret (checked as AWS does:
/// <see cref="AwsSigV4Verifier"/>) or a Bedrock API key as a bearer token; the OpenAI-compatible path takes the API key
/// only. Refusals are AWS's: 403 <c>UnrecognizedClientException</c>, <c>InvalidSignatureException</c>, 400
/// <c>ValidationException</c> for an unknown model, and scripted errors (<see cref="AnthropicTurn.Error"/> with an AWS
/// exception type such as <c>ThrottlingException</c>).
/// </remarks>
public sealed class FakeBedrockServer : FakeProviderServer
{
    private const string Padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456";

    private readonly ConcurrentQueue<AnthropicTurn> _script = new();
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private readonly bool _capture;
    private readonly AwsSigV4Verifier _verifier;
    private int _verified;
    private int _compressed;

    private FakeBedrockServer(string region, string accessKeyId, string secretAccessKey, string? apiKey, string? sessionToken, bool capture)
    {
        Region = region;
        AccessKeyId = accessKeyId;
        ApiKey = apiKey;
        _capture = capture;
        _verifier = new AwsSigV4Verifier(region, "bedrock", accessKeyId, secretAccessKey, sessionToken);
    }

    /// <summary>The region signatures must be scoped to.</summary>
    public string Region { get; }

    /// <summary>The access key id signatures must name.</summary>
    public string AccessKeyId { get; }

    /// <summary>The Bedrock API key accepted as a bearer token, or null for none.</summary>
    public string? ApiKey { get; }

    /// <summary>The answer to a Claude request when no scripted turn is left.</summary>
    public AnthropicTurn DefaultTurn { get; set; } = AnthropicTurn.Text("Hello", " from", " Claude", " on", " Bedrock");

    /// <summary>Which model ids exist; any other is a 400 <c>ValidationException</c>.</summary>
    public Func<string, bool> IsKnownModel { get; set; } = model => model.Contains("anthropic.claude", StringComparison.Ordinal);

    /// <summary>Whether an event stream is gzip-compressed for a request that accepts gzip.</summary>
    public bool CompressStreams { get; set; }

    /// <summary>The content the OpenAI-compatible endpoint streams.</summary>
    public IReadOnlyList<string> OpenAiChunks { get; set; } = ["Hello", " from", " Bedrock"];

    /// <summary>The OpenAI-compatible endpoint's reported prompt tokens, of which <see cref="OpenAiCachedTokens"/> were cached.</summary>
    public int OpenAiPromptTokens { get; set; } = 30;

    /// <summary>The OpenAI-compatible endpoint's reported cached prompt tokens.</summary>
    public int OpenAiCachedTokens { get; set; } = 10;

    /// <summary>How many event streams were sent gzip-compressed.</summary>
    public int CompressedStreams => Volatile.Read(ref _compressed);

    /// <summary>How many requests carried a valid SigV4 signature.</summary>
    public int VerifiedSignatures => Volatile.Read(ref _verified);

    /// <summary>The requests received, in order (empty when started without capture).</summary>
    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    /// <summary>Starts a server for <paramref name="region"/> that accepts these credentials.</summary>
    /// <param name="region">The region signatures are scoped to.</param>
    /// <param name="accessKeyId">The access key id (<c>AWS_ACCESS_KEY_ID</c>).</param>
    /// <param name="secretAccessKey">The secret access key signatures are checked with; it must never arrive.</param>
    /// <param name="apiKey">A Bedrock API key accepted as a bearer token, or null.</param>
    /// <param name="sessionToken">When set, signed requests must carry and sign this <c>x-amz-security-token</c>.</param>
    /// <param name="captureRequests">Whether to keep each request in <see cref="Requests"/>.</param>
    public static async Task<FakeBedrockServer> StartAsync(string region, string accessKeyId, string secretAccessKey, string? apiKey = null,
        string? sessionToken = null, bool captureRequests = true)
    {
        var server = new FakeBedrockServer(region, accessKeyId, secretAccessKey, apiKey, sessionToken, captureRequests);
        await server.StartCoreAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Scripts the answers of the next Claude requests, in order.</summary>
    public void Enqueue(params AnthropicTurn[] turns)
    {
        foreach (var turn in turns)
        {
            _script.Enqueue(turn);
        }
    }

    /// <inheritdoc />
    protected override void Map(WebApplication app)
    {
        app.MapPost("/model/{modelId}/{operation}", InvokeAsync);
        app.MapPost("/openai/v1/chat/completions", ChatCompletionsAsync);
    }

    private async Task InvokeAsync(HttpContext context, string modelId, string operation)
    {
        var body = await WireRequest.ReadBodyAsync(context).ConfigureAwait(false);
        if (_capture)
        {
            _requests.Enqueue(WireRequest.Capture(context, body));
        }

        var response = context.Response;
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            if (ApiKey is null || authorization[7..] != ApiKey)
            {
                await ErrorAsync(response, 403, "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid.").ConfigureAwait(false);
                return;
            }
        }
        else if (_verifier.Check(context, body) is { } refusal)
        {
            await ErrorAsync(response, 403, refusal.Type, refusal.Message).ConfigureAwait(false);
            return;
        }
        else
        {
            Interlocked.Increment(ref _verified);
        }

        if (operation is not ("invoke" or "invoke-with-response-stream"))
        {
            await ErrorAsync(response, 404, "UnknownOperationException", $"Unknown operation {operation}").ConfigureAwait(false);
            return;
        }

        JsonObject request;
        try
        {
            request = JsonNode.Parse(body)!.AsObject();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            await ErrorAsync(response, 400, "ValidationException", "Malformed input request, please reformat your input and try again.").ConfigureAwait(false);
            return;
        }

        // Bedrock's body is Anthropic's without model and stream (the path says them), with anthropic_version.
        if (request["anthropic_version"] is null || request["max_tokens"] is null || request["messages"] is null
            || request.ContainsKey("model") || request.ContainsKey("stream"))
        {
            await ErrorAsync(response, 400, "ValidationException",
                "Malformed input request: anthropic_version, max_tokens and messages are required; model and stream are not permitted").ConfigureAwait(false);
            return;
        }

        if (!IsKnownModel(modelId))
        {
            await ErrorAsync(response, 400, "ValidationException", "The provided model identifier is invalid.").ConfigureAwait(false);
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

        var model = modelId.Contains("claude", StringComparison.Ordinal) ? modelId[modelId.IndexOf("claude", StringComparison.Ordinal)..] : modelId;
        if (operation == "invoke")
        {
            response.ContentType = "application/json";
            response.Headers["X-Amzn-Bedrock-Input-Token-Count"] = turn.InputTokens.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-Amzn-Bedrock-Output-Token-Count"] = turn.ReportedOutputTokens.ToString(CultureInfo.InvariantCulture);
            await response.Body.WriteAsync(AnthropicWire.Message(turn, model), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        response.ContentType = "application/vnd.amazon.eventstream";
        response.Headers["x-amzn-bedrock-content-type"] = "application/json";
        var compress = CompressStreams && context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        if (compress)
        {
            response.Headers.ContentEncoding = "gzip";
            Interlocked.Increment(ref _compressed);
        }

        var output = compress ? new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true) : response.Body;
        await using (output.ConfigureAwait(false))
        {
            await AnthropicWire.StreamAsync(turn, model, new EventStreamSink(output), bedrockMetrics: true, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task ChatCompletionsAsync(HttpContext context)
    {
        var body = await WireRequest.ReadBodyAsync(context).ConfigureAwait(false);
        if (_capture)
        {
            _requests.Enqueue(WireRequest.Capture(context, body));
        }

        var response = context.Response;
        if (ApiKey is null || context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            response.StatusCode = 401;
            await response.WriteAsJsonAsync(new { error = new { message = "Invalid API key", type = "invalid_request_error", code = "invalid_api_key" } }).ConfigureAwait(false);
            return;
        }

        var request = JsonNode.Parse(body)!.AsObject();
        var model = request["model"]!.GetValue<string>();
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var usage = new JsonObject
        {
            ["prompt_tokens"] = OpenAiPromptTokens,
            ["completion_tokens"] = OpenAiChunks.Count,
            ["total_tokens"] = OpenAiPromptTokens + OpenAiChunks.Count,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = OpenAiCachedTokens },
        };
        if (request["stream"]?.GetValue<bool>() != true)
        {
            await response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = "chatcmpl-bedrock", ["object"] = "chat.completion", ["created"] = created, ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = string.Concat(OpenAiChunks) }, ["finish_reason"] = "stop",
                }),
                ["usage"] = usage,
            }).ConfigureAwait(false);
            return;
        }

        response.ContentType = "text/event-stream";
        async Task SendAsync(JsonObject chunk)
        {
            chunk["id"] = "chatcmpl-bedrock";
            chunk["object"] = "chat.completion.chunk";
            chunk["created"] = created;
            chunk["model"] = model;
            await response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n", context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }

        static JsonObject Choice(JsonObject delta, string? finish) => new()
        {
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };

        await SendAsync(Choice(new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null)).ConfigureAwait(false);
        foreach (var text in OpenAiChunks)
        {
            await SendAsync(Choice(new JsonObject { ["content"] = text }, null)).ConfigureAwait(false);
        }

        await SendAsync(Choice(new JsonObject(), "stop")).ConfigureAwait(false);
        if (request["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
        {
            await SendAsync(new JsonObject { ["choices"] = new JsonArray(), ["usage"] = usage }).ConfigureAwait(false);
        }

        await response.WriteAsync("data: [DONE]\n\n", context.RequestAborted).ConfigureAwait(false);
    }

    // AWS's error answer: the exception type in x-amzn-ErrorType, {"message": ...} as the body.
    private static async Task ErrorAsync(HttpResponse response, int status, string type, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers["x-amzn-ErrorType"] = type + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
        await response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["message"] = message })).ConfigureAwait(false);
    }

    // Each Anthropic event in a "chunk" event whose payload is {"bytes": <base64 of the event's JSON>, "p": <padding>};
    // a stream error as an exception message.
    private sealed class EventStreamSink(Stream output) : IAnthropicEventSink
    {
        private static readonly KeyValuePair<string, string>[] ChunkHeaders =
        [
            new(":event-type", "chunk"), new(":content-type", "application/json"), new(":message-type", "event"),
        ];

        public async ValueTask EventAsync(string type, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
        {
            var payload = Encoding.UTF8.GetBytes($$"""{"bytes":"{{Convert.ToBase64String(json.Span)}}","p":"{{Padding[..(json.Length % Padding.Length)]}}"}""");
            await WriteAsync(AwsEventStreamEncoder.Encode(ChunkHeaders, payload), cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask ErrorAsync(string type, string message, CancellationToken cancellationToken)
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["message"] = message });
            await WriteAsync(AwsEventStreamEncoder.Encode(
                [new(":exception-type", type), new(":content-type", "application/json"), new(":message-type", "exception")], payload), cancellationToken).ConfigureAwait(false);
        }

        private async ValueTask WriteAsync(byte[] message, CancellationToken cancellationToken)
        {
            await output.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
