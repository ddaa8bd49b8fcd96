using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// A fake of Google's OpenAI-compatible Gemini endpoint, <c>POST /v1beta/openai/chat/completions</c> with the key as
/// a bearer token, in the shape Google streams it: every chunk carries the usage so far, the last one the finish
/// reason; a tool call comes whole in one delta, without an <c>index</c>, and the turn finishes with <c>stop</c>.
/// Errors are Google's, wrapped in an array: <c>[{"error": {"code", "message", "status", "details"}}]</c> (400
/// <c>API_KEY_INVALID</c>, 404 for an unknown model, 429 <c>RESOURCE_EXHAUSTED</c> with a <c>RetryInfo</c> delay and
/// no <c>Retry-After</c> header).
/// </summary>
public sealed class FakeGeminiServer : FakeProviderServer
{
    private readonly ConcurrentQueue<GeminiWireRequest> _requests = new();

    /// <summary>The key the endpoint accepts.</summary>
    public string ExpectedKey { get; init; } = "AIzaSy-test-key";

    /// <summary>The models the endpoint serves (also as <c>models/&lt;id&gt;</c>).</summary>
    public IReadOnlyCollection<string> Models { get; init; } = ["gemini-2.5-flash", "gemini-2.5-pro"];

    /// <summary>The text deltas of an answer.</summary>
    public IReadOnlyList<string> Deltas { get; init; } = ["Hello", " from", " Gemini"];

    /// <summary>When set, a request that offers tools and carries no tool result yet is answered with a call of this tool.</summary>
    public string? ToolName { get; init; }

    /// <summary>The tool call's arguments, a JSON object.</summary>
    public string ToolArguments { get; init; } = "{}";

    /// <summary>The usage's <c>prompt_tokens</c>.</summary>
    public int PromptTokens { get; init; } = 30;

    /// <summary>The usage's <c>prompt_tokens_details.cached_tokens</c> (implicit caching); zero: not reported.</summary>
    public int CachedTokens { get; init; }

    /// <summary>When set, every request (past the key check) is answered with this status and Google's error body.</summary>
    public int? FailureStatus { get; init; }

    /// <summary>The <c>RetryInfo.retryDelay</c> seconds sent with a 429.</summary>
    public int RetryDelaySeconds { get; init; } = 12;

    /// <summary>The requests received, in order.</summary>
    public IReadOnlyList<GeminiWireRequest> Requests => [.. _requests];

    /// <summary>The OpenAI-compatible base address, as a connection's Endpoint (<c>http://127.0.0.1:port/v1beta/openai/</c>).</summary>
    public Uri Endpoint => new(BaseAddress, "v1beta/openai/");

    /// <summary>Starts the server.</summary>
    public async Task<FakeGeminiServer> StartAsync()
    {
        await StartCoreAsync().ConfigureAwait(false);
        return this;
    }

    /// <inheritdoc />
    protected override void Map(WebApplication app)
    {
        app.MapPost("/v1beta/openai/chat/completions", HandleAsync);
        app.MapFallback(context => ErrorAsync(context, StatusCodes.Status404NotFound, "NOT_FOUND", $"The requested URL {context.Request.Path} was not found on this server."));
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false))!.AsObject();
        var authorization = context.Request.Headers.Authorization.ToString();
        _requests.Enqueue(new GeminiWireRequest(context.Request.Path, authorization.Length == 0 ? null : authorization, body));
        if (authorization.Length == 0)
        {
            await ErrorAsync(context, StatusCodes.Status403Forbidden, "PERMISSION_DENIED",
                "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.").ConfigureAwait(false);
            return;
        }

        if (authorization != "Bearer " + ExpectedKey)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo", ["reason"] = "API_KEY_INVALID", ["domain"] = "googleapis.com" }).ConfigureAwait(false);
            return;
        }

        if (FailureStatus is { } failure)
        {
            await (failure == StatusCodes.Status429TooManyRequests
                ? ErrorAsync(context, failure, "RESOURCE_EXHAUSTED",
                    "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
                    new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = $"{RetryDelaySeconds}s" })
                : ErrorAsync(context, failure, "UNAVAILABLE", "The model is overloaded. Please try again later.")).ConfigureAwait(false);
            return;
        }

        var model = body["model"]?.GetValue<string>() ?? "";
        var id = model.StartsWith("models/", StringComparison.Ordinal) ? model[7..] : model;
        if (!Models.Contains(id))
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, "NOT_FOUND",
                $"models/{id} is not found for API version v1main, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.").ConfigureAwait(false);
            return;
        }

        var callTool = ToolName is not null && body["tools"] is JsonArray { Count: > 0 }
            && body["messages"] is JsonArray messages && !messages.Any(m => m?["role"]?.GetValue<string>() == "tool");
        var responseId = Guid.NewGuid().ToString("N")[..22];
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        object Usage(int completion) => CachedTokens > 0
            ? new { completion_tokens = completion, prompt_tokens = PromptTokens, total_tokens = PromptTokens + completion, prompt_tokens_details = new { cached_tokens = CachedTokens } }
            : new { completion_tokens = completion, prompt_tokens = PromptTokens, total_tokens = PromptTokens + completion };
        var toolCalls = new[] { new { function = new { arguments = ToolArguments, name = ToolName }, id = "function-call-" + responseId, type = "function" } };

        if (body["stream"]?.GetValue<bool>() != true)
        {
            context.Response.ContentType = "application/json";
            object message = callTool
                ? new { content = (string?)null, role = "assistant", tool_calls = toolCalls }
                : new { content = (string?)string.Concat(Deltas), role = "assistant" };
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                choices = new[] { new { finish_reason = callTool ? "tool_calls" : "stop", index = 0, message } },
                created, id = responseId, model = id, @object = "chat.completion", usage = Usage(callTool ? 9 : Deltas.Count),
            }), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        object Chunk(object delta, string? finish, int completion) => finish is null
            ? new { choices = new[] { new { delta, index = 0 } }, created, id = responseId, model = id, @object = "chat.completion.chunk", usage = Usage(completion) }
            : new { choices = new[] { new { delta, finish_reason = finish, index = 0 } }, created, id = responseId, model = id, @object = "chat.completion.chunk", usage = Usage(completion) };

        if (callTool)
        {
            await SendAsync(context, Chunk(new { role = "assistant", tool_calls = toolCalls }, "stop", 9)).ConfigureAwait(false);
        }
        else
        {
            for (var i = 0; i < Deltas.Count; i++)
            {
                await SendAsync(context, Chunk(new { content = Deltas[i], role = "assistant" }, i == Deltas.Count - 1 ? "stop" : null, i + 1)).ConfigureAwait(false);
            }
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task SendAsync(HttpContext context, object payload)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(payload) + "\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string statusName, string message, JsonObject? detail = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        object error = detail is null
            ? new { code = status, message, status = statusName }
            : new { code = status, message, status = statusName, details = new[] { detail } };
        await context.Response.WriteAsync(JsonSerializer.Serialize(new[] { new { error } }), context.RequestAborted).ConfigureAwait(false);
    }
}
