using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// A fake OpenAI (or OpenAI-compatible) embeddings endpoint, <c>POST /v1/embeddings</c>, as OpenAI answers it:
/// <c>{"object": "list", "data": [{"object": "embedding", "index", "embedding"}], "model", "usage"}</c>, each vector
/// base64 little-endian float32 when the request asks <c>"encoding_format": "base64"</c> (the OpenAI SDK's default) and
/// a JSON array otherwise; <c>dimensions</c> honoured; OpenAI's error bodies for a wrong key (401), an unknown model
/// (404), a rate limit (429 with <c>Retry-After</c>) and a server error (500); the 401 echoes the whole key it was
/// sent (OpenAI echoes part of it), so a test can check it is masked. Vectors are <see cref="FakeEmbeddings"/>'.
/// </summary>
public sealed class FakeOpenAiEmbeddingServer : FakeProviderServer
{
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();

    /// <summary>The bearer key the server accepts; null accepts any.</summary>
    public string? ExpectedKey { get; init; }

    /// <summary>The embedding models served; any other is answered with OpenAI's 404.</summary>
    public IReadOnlyCollection<string> Models { get; init; } = ["text-embedding-3-small"];

    /// <summary>The vectors' dimension unless a request asks for fewer.</summary>
    public int Dimensions { get; init; } = 1536;

    /// <summary>When set, every request (past the key check) is answered with this status and OpenAI's error body.</summary>
    public int? FailureStatus { get; init; }

    /// <summary>How many of the first requests fail with <see cref="FailureStatus"/>; null: all of them.</summary>
    public int? FailFirst { get; init; }

    /// <summary>The <c>Retry-After</c> seconds of a 429.</summary>
    public int RetryAfterSeconds { get; init; } = 2;

    /// <summary>When set, a successful request is answered with this body instead (a broken proxy, a wrong server).</summary>
    public string? MalformedBody { get; init; }

    /// <summary>The requests received, in order.</summary>
    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    /// <summary>The base address of the OpenAI API (<c>.../v1</c>), as a connection's <c>Endpoint</c>.</summary>
    public Uri Endpoint => new(BaseAddress, "v1");

    /// <summary>Starts the server.</summary>
    public async Task<FakeOpenAiEmbeddingServer> StartAsync()
    {
        await StartCoreAsync().ConfigureAwait(false);
        return this;
    }

    /// <inheritdoc />
    protected override void Map(WebApplication app) => app.MapPost("/v1/embeddings", HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        var bytes = await WireRequest.ReadBodyAsync(context).ConfigureAwait(false);
        var request = WireRequest.Capture(context, bytes);
        _requests.Enqueue(request);
        var body = request.Json();

        if (ExpectedKey is not null && request.Header("Authorization") != "Bearer " + ExpectedKey)
        {
            var sent = request.Header("Authorization")?.Replace("Bearer ", "", StringComparison.Ordinal) ?? "";
            await OpenAiWire.ErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_request_error", "invalid_api_key",
                $"Incorrect API key provided: {sent}. You can find your API key at https://platform.openai.com/account/api-keys.").ConfigureAwait(false);
            return;
        }

        if (FailureStatus is { } failure && (FailFirst is not { } first || _requests.Count <= first))
        {
            if (failure == StatusCodes.Status429TooManyRequests)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await OpenAiWire.ErrorAsync(context, failure, "requests", "rate_limit_exceeded",
                    "Rate limit reached for text-embedding-3-small in organization org-fake on requests per min (RPM): Limit 3000, Used 3000, Requested 1.").ConfigureAwait(false);
            }
            else
            {
                await OpenAiWire.ErrorAsync(context, failure, "server_error", null, "The server had an error while processing your request. Sorry about that!").ConfigureAwait(false);
            }

            return;
        }

        var model = body["model"]?.GetValue<string>() ?? "";
        if (!Models.Contains(model))
        {
            await OpenAiWire.ErrorAsync(context, StatusCodes.Status404NotFound, "invalid_request_error", "model_not_found",
                $"The model `{model}` does not exist or you do not have access to it.").ConfigureAwait(false);
            return;
        }

        if (MalformedBody is { } malformed)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(malformed, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await OpenAiWire.EmbeddingsAsync(context, body, model, Dimensions).ConfigureAwait(false);
    }
}
