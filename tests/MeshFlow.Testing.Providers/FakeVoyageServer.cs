using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// A fake Voyage AI: <c>POST /v1/embeddings</c> with a bearer key and <c>{"input": [...], "model", "input_type"?}</c>,
/// answered with <c>{"object": "list", "data": [{"object": "embedding", "embedding": [...], "index"}], "model",
/// "usage": {"total_tokens"}}</c>; Voyage's <c>{"detail": "..."}</c> errors for a wrong key (401), an unknown model or
/// an invalid <c>input_type</c> (400), too many inputs (400), a rate limit (429) and a server error (500). Vectors are
/// <see cref="FakeEmbeddings"/>' of the text, prefixed by the input type when one is given (Voyage embeds a query and
/// a document differently).
/// </summary>
public sealed class FakeVoyageServer : FakeProviderServer
{
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();

    /// <summary>The bearer key the server accepts.</summary>
    public string ExpectedKey { get; init; } = "pa-test-voyage-key";

    /// <summary>The models served.</summary>
    public IReadOnlyCollection<string> Models { get; init; } = ["voyage-3", "voyage-3-lite"];

    /// <summary>The vectors' dimension.</summary>
    public int Dimensions { get; init; } = 1024;

    /// <summary>The most inputs one request may carry (Voyage's is 1,000).</summary>
    public int MaxInputs { get; init; } = 1000;

    /// <summary>When set, every request (past the key check) is answered with this status and a Voyage error body.</summary>
    public int? FailureStatus { get; init; }

    /// <summary>How many of the first requests fail with <see cref="FailureStatus"/>; null: all of them.</summary>
    public int? FailFirst { get; init; }

    /// <summary>When set, a successful request is answered with this body instead.</summary>
    public string? MalformedBody { get; init; }

    /// <summary>The requests received, in order.</summary>
    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    /// <summary>Starts the server; its <see cref="FakeProviderServer.BaseAddress"/> is a connection's <c>Endpoint</c>.</summary>
    public async Task<FakeVoyageServer> StartAsync()
    {
        await StartCoreAsync().ConfigureAwait(false);
        return this;
    }

    /// <summary>The vector this server answers for <paramref name="text"/> embedded as <paramref name="inputType"/>.</summary>
    public float[] VectorOf(string text, string? inputType = null) =>
        FakeEmbeddings.Vector(inputType is null ? text : inputType + ":" + text, Dimensions);

    /// <inheritdoc />
    protected override void Map(WebApplication app) => app.MapPost("/v1/embeddings", HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        var bytes = await WireRequest.ReadBodyAsync(context).ConfigureAwait(false);
        var request = WireRequest.Capture(context, bytes);
        _requests.Enqueue(request);

        if (request.Header("Authorization") != "Bearer " + ExpectedKey)
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized,
                "Provided API key is invalid. Please check your API key at https://dash.voyageai.com/api-keys.").ConfigureAwait(false);
            return;
        }

        if (FailureStatus is { } failure && (FailFirst is not { } first || _requests.Count <= first))
        {
            if (failure == StatusCodes.Status429TooManyRequests)
            {
                context.Response.Headers.RetryAfter = "1";
            }

            await ErrorAsync(context, failure, failure == StatusCodes.Status429TooManyRequests
                ? "You have exceeded your rate limit. Please slow down and try again later."
                : "Internal server error").ConfigureAwait(false);
            return;
        }

        var body = request.Json();
        var model = body["model"]?.GetValue<string>() ?? "";
        if (!Models.Contains(model))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest,
                $"Model {model} is not supported. Supported models are {string.Join(", ", Models)}.").ConfigureAwait(false);
            return;
        }

        var inputType = body["input_type"]?.GetValue<string>();
        if (inputType is not (null or "query" or "document"))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "Value error, input_type should be one of None, query, document.").ConfigureAwait(false);
            return;
        }

        IReadOnlyList<string> inputs = body["input"] switch
        {
            JsonArray array => [.. array.Select(item => item!.GetValue<string>())],
            JsonValue value => [value.GetValue<string>()],
            _ => [],
        };
        if (inputs.Count > MaxInputs)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest,
                $"The batch size limit is {MaxInputs.ToString(CultureInfo.InvariantCulture)}. Your batch size is {inputs.Count.ToString(CultureInfo.InvariantCulture)}.").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        if (MalformedBody is { } malformed)
        {
            await context.Response.WriteAsync(malformed, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var data = new JsonArray();
        // Voyage orders by index; the answer lists them reversed so a client must read the index, not the position.
        for (var i = inputs.Count - 1; i >= 0; i--)
        {
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["embedding"] = new JsonArray([.. VectorOf(inputs[i], inputType).Select(v => JsonValue.Create(v))]),
                ["index"] = i,
            });
        }

        await context.Response.WriteAsync(new JsonObject
        {
            ["object"] = "list", ["data"] = data, ["model"] = model,
            ["usage"] = new JsonObject { ["total_tokens"] = inputs.Sum(input => input.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length) },
        }.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { detail }), context.RequestAborted).ConfigureAwait(false);
    }
}
