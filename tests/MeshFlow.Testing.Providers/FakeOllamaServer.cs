using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// A fake Ollama server speaking <c>POST /api/chat</c> as Ollama does: an NDJSON stream of
/// <c>{"model", "created_at", "message": {"role", "content"}, "done": false}</c> lines and a last line with
/// <c>"done": true</c>, <c>done_reason</c>, <c>prompt_eval_count</c> and <c>eval_count</c>; tool calls in
/// <c>message.tool_calls</c> with their arguments as an object; <c>{"error": "..."}</c> bodies for an unknown model
/// (404), a refused key (401) or an overloaded server (503, 429); and <c>POST /api/embed</c>
/// (<c>{"model", "input": [...]}</c> answered with <c>{"model", "embeddings": [[...]]}</c>). At its defaults it answers instantly, so a benchmark
/// can stream many deltas through it; <see cref="CaptureRequests"/> off keeps no request.
/// </summary>
public sealed class FakeOllamaServer : FakeProviderServer
{
    private readonly ConcurrentQueue<OllamaWireRequest> _requests = new();
    private readonly ConcurrentDictionary<string, byte[][]> _deltaLines = new(StringComparer.Ordinal);

    /// <summary>The text deltas of an answer, one line each.</summary>
    public IReadOnlyList<string> Deltas { get; init; } = ["Hello", " from", " Ollama"];

    /// <summary>The models the server has pulled; any other is answered with Ollama's 404.</summary>
    public IReadOnlyCollection<string> Models { get; init; } = ["llama3.2"];

    /// <summary>The dimension of the vectors <c>/api/embed</c> answers with (<see cref="FakeEmbeddings"/>'), for any pulled model.</summary>
    public int EmbeddingDimensions { get; init; } = 768;

    /// <summary>When set, a request that offers tools and carries no tool result yet is answered with a call of this tool.</summary>
    public string? ToolName { get; init; }

    /// <summary>The tool call's arguments, a JSON object (Ollama sends them as an object, not a string).</summary>
    public string ToolArguments { get; init; } = "{}";

    /// <summary>The <c>prompt_eval_count</c> of the last line.</summary>
    public int PromptEvalCount { get; init; } = 26;

    /// <summary>The <c>eval_count</c> of an answer's last line; null: one per delta.</summary>
    public int? EvalCount { get; init; }

    /// <summary>The <c>eval_count</c> of a tool call's last line.</summary>
    public int ToolCallEvalCount { get; init; } = 12;

    /// <summary>The <c>done_reason</c> of the last line (<c>stop</c>, <c>length</c>).</summary>
    public string DoneReason { get; init; } = "stop";

    /// <summary>When set, the bearer key a request must carry (an Ollama behind an authenticating proxy, or ollama.com).</summary>
    public string? ExpectedKey { get; init; }

    /// <summary>When set, every request is answered with this status and an Ollama error body (503 busy, 429 rate limit).</summary>
    public int? FailureStatus { get; init; }

    /// <summary>The <c>Retry-After</c> seconds sent with <see cref="FailureStatus"/>.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>When set, the error line written after the deltas instead of the last line (a model runner that failed).</summary>
    public string? StreamError { get; init; }

    /// <summary>How long the server waits between deltas (zero: not at all), to keep a begun stream silent.</summary>
    public TimeSpan DeltaDelay { get; init; }

    /// <summary>Whether requests are kept in <see cref="Requests"/> (off for a benchmark).</summary>
    public bool CaptureRequests { get; init; } = true;

    /// <summary>The requests received, in order, when <see cref="CaptureRequests"/> is on.</summary>
    public IReadOnlyList<OllamaWireRequest> Requests => [.. _requests];

    /// <summary>Starts the server; await it once, then use <see cref="FakeProviderServer.BaseAddress"/> as the endpoint.</summary>
    public async Task<FakeOllamaServer> StartAsync()
    {
        await StartCoreAsync().ConfigureAwait(false);
        return this;
    }

    /// <inheritdoc />
    protected override void Map(WebApplication app)
    {
        app.MapPost("/api/chat", HandleAsync);
        app.MapPost("/api/embed", HandleEmbedAsync);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false))!.AsObject();
        var authorization = context.Request.Headers.Authorization.ToString();
        if (CaptureRequests)
        {
            _requests.Enqueue(new OllamaWireRequest(context.Request.Path, authorization.Length == 0 ? null : authorization, body));
        }

        var model = body["model"]?.GetValue<string>() ?? "";
        if (await RefusedAsync(context, authorization, model).ConfigureAwait(false))
        {
            return;
        }

        var callTool = ToolName is not null && body["tools"] is JsonArray { Count: > 0 }
            && body["messages"] is JsonArray messages && !messages.Any(m => m?["role"]?.GetValue<string>() == "tool");
        var stream = body["stream"]?.GetValue<bool>() ?? true;
        context.Response.ContentType = stream ? "application/x-ndjson" : "application/json; charset=utf-8";
        var createdAt = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        if (!stream)
        {
            await WriteLineAsync(context, Done(model, createdAt, callTool ? "" : string.Concat(Deltas), callTool ? ToolCalls() : null, callTool)).ConfigureAwait(false);
            return;
        }

        if (callTool)
        {
            await WriteLineAsync(context, Line(model, createdAt, "", toolCalls: ToolCalls())).ConfigureAwait(false);
        }
        else
        {
            var first = true;
            foreach (var line in _deltaLines.GetOrAdd(model, m => [.. Deltas.Select(d => Encoding.UTF8.GetBytes(Line(m, createdAt, d) + "\n"))]))
            {
                if (!first && DeltaDelay > TimeSpan.Zero)
                {
                    await Task.Delay(DeltaDelay, context.RequestAborted).ConfigureAwait(false);
                }

                await context.Response.Body.WriteAsync(line, context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                first = false;
            }
        }

        await WriteLineAsync(context, StreamError is { } error
            ? JsonSerializer.Serialize(new { error })
            : Done(model, createdAt, "", toolCalls: null, callTool)).ConfigureAwait(false);
    }

    private async Task HandleEmbedAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false))!.AsObject();
        var authorization = context.Request.Headers.Authorization.ToString();
        if (CaptureRequests)
        {
            _requests.Enqueue(new OllamaWireRequest(context.Request.Path, authorization.Length == 0 ? null : authorization, body));
        }

        var model = body["model"]?.GetValue<string>() ?? "";
        if (await RefusedAsync(context, authorization, model).ConfigureAwait(false))
        {
            return;
        }

        IReadOnlyList<string> inputs = body["input"] switch
        {
            JsonArray array => [.. array.Select(item => item!.GetValue<string>())],
            JsonValue value => [value.GetValue<string>()],
            _ => [],
        };
        var embeddings = new JsonArray([.. inputs.Select(input => new JsonArray([.. FakeEmbeddings.Vector(input, EmbeddingDimensions).Select(v => JsonValue.Create(v))]))]);
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(new JsonObject
        {
            ["model"] = model, ["embeddings"] = embeddings, ["total_duration"] = 14_143_917L, ["load_duration"] = 1_019_500L,
            ["prompt_eval_count"] = inputs.Sum(input => input.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length),
        }.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    // Ollama's checks: the proxy's key, any failure the test asked for, then the model. True when answered with an error.
    private async Task<bool> RefusedAsync(HttpContext context, string authorization, string model)
    {
        if (ExpectedKey is not null && authorization != "Bearer " + ExpectedKey)
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthorized").ConfigureAwait(false);
            return true;
        }

        if (FailureStatus is { } failure)
        {
            if (RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await ErrorAsync(context, failure, failure == StatusCodes.Status503ServiceUnavailable
                ? "server busy, please try again.  maximum pending requests exceeded"
                : "too many requests, please slow down").ConfigureAwait(false);
            return true;
        }

        if (!Models.Any(m => m == model || m + ":latest" == model))
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"model \"{model}\" not found, try pulling it first").ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private JsonArray ToolCalls() =>
    [
        new JsonObject { ["function"] = new JsonObject { ["name"] = ToolName, ["arguments"] = JsonNode.Parse(ToolArguments) } },
    ];

    private static string Line(string model, string createdAt, string content, JsonArray? toolCalls = null)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (toolCalls is not null)
        {
            message["tool_calls"] = toolCalls;
        }

        return new JsonObject { ["model"] = model, ["created_at"] = createdAt, ["message"] = message, ["done"] = false }.ToJsonString();
    }

    private string Done(string model, string createdAt, string content, JsonArray? toolCalls, bool callTurn)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (toolCalls is not null)
        {
            message["tool_calls"] = toolCalls;
        }

        return new JsonObject
        {
            ["model"] = model, ["created_at"] = createdAt, ["message"] = message, ["done_reason"] = DoneReason, ["done"] = true,
            ["total_duration"] = 4_883_583_458L, ["load_duration"] = 1_334_875L, ["prompt_eval_count"] = PromptEvalCount,
            ["prompt_eval_duration"] = 342_546_000L, ["eval_count"] = callTurn ? ToolCallEvalCount : EvalCount ?? Deltas.Count, ["eval_duration"] = 4_535_599_000L,
        }.ToJsonString();
    }

    private static async Task WriteLineAsync(HttpContext context, string line)
    {
        await context.Response.WriteAsync(line + "\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string error)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error }), context.RequestAborted).ConfigureAwait(false);
    }
}
