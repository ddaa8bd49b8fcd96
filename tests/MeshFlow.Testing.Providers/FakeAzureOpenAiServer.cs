using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// A fake Azure OpenAI resource: <c>POST /openai/deployments/{deployment}/chat/completions?api-version=...</c> (and
/// <c>/embeddings</c>, answered as OpenAI does, vectors from <see cref="FakeEmbeddings"/>),
/// authenticated by the <c>api-key</c> header or a bearer token, streaming as Azure does (a first chunk with
/// <c>prompt_filter_results</c> and no choices, deltas with <c>content_filter_results</c>, the finish reason, then the
/// usage chunk with <c>prompt_tokens_details.cached_tokens</c> and <c>data: [DONE]</c>). Azure's error bodies: 404
/// <c>Resource not found</c> without an api-version, 400 for an unsupported one, 401 for a wrong key, 404
/// <c>DeploymentNotFound</c>, and 429 with <c>Retry-After</c> for a rate limit.
/// </summary>
public sealed class FakeAzureOpenAiServer : FakeProviderServer
{
    private static readonly object SafeFilters = new
    {
        hate = new { filtered = false, severity = "safe" },
        self_harm = new { filtered = false, severity = "safe" },
        sexual = new { filtered = false, severity = "safe" },
        violence = new { filtered = false, severity = "safe" },
    };

    private readonly ConcurrentQueue<AzureOpenAiWireRequest> _requests = new();

    /// <summary>The resource's deployments.</summary>
    public IReadOnlyCollection<string> Deployments { get; init; } = ["prod-4o"];

    /// <summary>The API versions the resource serves.</summary>
    public IReadOnlyCollection<string> ApiVersions { get; init; } = ["2024-06-01", "2024-10-21", "2025-01-01-preview", "2025-04-01-preview"];

    /// <summary>The <c>api-key</c> the resource accepts.</summary>
    public string? ExpectedKey { get; init; }

    /// <summary>The bearer token the resource accepts (Entra ID).</summary>
    public string? ExpectedToken { get; init; }

    /// <summary>The model behind the deployments, as the chunks name it.</summary>
    public string Model { get; init; } = "gpt-4o-2024-11-20";

    /// <summary>The model behind an embedding deployment, as its answers name it.</summary>
    public string EmbeddingModel { get; init; } = "text-embedding-3-small";

    /// <summary>The dimension of an embedding deployment's vectors unless a request asks for fewer.</summary>
    public int EmbeddingDimensions { get; init; } = 1536;

    /// <summary>The text deltas of an answer.</summary>
    public IReadOnlyList<string> Deltas { get; init; } = ["Hello", " from", " Azure"];

    /// <summary>When set, a request that offers tools and carries no tool result yet is answered with a call of this tool.</summary>
    public string? ToolName { get; init; }

    /// <summary>The tool call's arguments (a JSON object, sent as a string in pieces, as OpenAI does).</summary>
    public string ToolArguments { get; init; } = "{}";

    /// <summary>The usage's <c>prompt_tokens</c>.</summary>
    public int PromptTokens { get; init; } = 42;

    /// <summary>The usage's <c>completion_tokens</c>; null: one per delta.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary>The usage's <c>prompt_tokens_details.cached_tokens</c>.</summary>
    public int CachedTokens { get; init; }

    /// <summary>When set, every request (past the key check) is answered with this status and Azure's error body.</summary>
    public int? FailureStatus { get; init; }

    /// <summary>The <c>Retry-After</c> seconds sent with a 429.</summary>
    public int RetryAfterSeconds { get; init; } = 7;

    /// <summary>Whether requests are kept in <see cref="Requests"/>.</summary>
    public bool CaptureRequests { get; init; } = true;

    /// <summary>The requests received, in order.</summary>
    public IReadOnlyList<AzureOpenAiWireRequest> Requests => [.. _requests];

    /// <summary>Starts the server; its <see cref="FakeProviderServer.BaseAddress"/> is the resource's endpoint.</summary>
    public async Task<FakeAzureOpenAiServer> StartAsync()
    {
        await StartCoreAsync().ConfigureAwait(false);
        return this;
    }

    /// <inheritdoc />
    protected override void Map(WebApplication app)
    {
        app.MapPost("/openai/deployments/{deployment}/chat/completions", HandleAsync);
        app.MapPost("/openai/deployments/{deployment}/embeddings", HandleEmbeddingsAsync);
        app.MapFallback(context => ErrorAsync(context, StatusCodes.Status404NotFound, "404", "Resource not found"));
    }

    private async Task HandleAsync(HttpContext context, string deployment)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false))!.AsObject();
        var request = context.Request;
        string? Header(string name) => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
        var apiVersion = request.Query.TryGetValue("api-version", out var version) ? version.ToString() : null;
        if (CaptureRequests)
        {
            _requests.Enqueue(new AzureOpenAiWireRequest(request.Path, apiVersion, Header("api-key"), Header("Authorization"), body));
        }

        if (await RefusedAsync(context, deployment, apiVersion, "ChatCompletions_Create").ConfigureAwait(false))
        {
            return;
        }

        var callTool = ToolName is not null && body["tools"] is JsonArray { Count: > 0 }
            && body["messages"] is JsonArray messages && !messages.Any(m => m?["role"]?.GetValue<string>() == "tool");
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var completionTokens = CompletionTokens ?? (callTool ? 12 : Deltas.Count);
        var usage = new
        {
            completion_tokens = completionTokens,
            completion_tokens_details = new { accepted_prediction_tokens = 0, audio_tokens = 0, reasoning_tokens = 0, rejected_prediction_tokens = 0 },
            prompt_tokens = PromptTokens,
            prompt_tokens_details = new { audio_tokens = 0, cached_tokens = CachedTokens },
            total_tokens = PromptTokens + completionTokens,
        };

        if (body["stream"]?.GetValue<bool>() != true)
        {
            object message = callTool
                ? new { role = "assistant", content = (string?)null, refusal = (string?)null, tool_calls = new[] { new { id = "call_" + id[9..], type = "function", function = new { name = ToolName, arguments = ToolArguments } } } }
                : new { role = "assistant", content = (string?)string.Concat(Deltas), refusal = (string?)null };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                choices = new[] { new { content_filter_results = SafeFilters, finish_reason = callTool ? "tool_calls" : "stop", index = 0, logprobs = (object?)null, message } },
                created, id, model = Model, @object = "chat.completion",
                prompt_filter_results = new[] { new { prompt_index = 0, content_filter_results = SafeFilters } },
                system_fingerprint = "fp_b705f0c291", usage,
            }), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/event-stream; charset=utf-8";
        await SendAsync(context, new
        {
            choices = Array.Empty<object>(), created = 0, id = "", model = "", @object = "",
            prompt_filter_results = new[] { new { prompt_index = 0, content_filter_results = SafeFilters } },
        }).ConfigureAwait(false);

        object Chunk(object delta, string? finish, object? filters) => new
        {
            choices = new[] { new { content_filter_results = filters ?? new { }, delta, finish_reason = finish, index = 0, logprobs = (object?)null } },
            created, id, model = Model, @object = "chat.completion.chunk", system_fingerprint = "fp_b705f0c291",
        };

        if (callTool)
        {
            await SendAsync(context, Chunk(new
            {
                content = (string?)null, role = "assistant", refusal = (string?)null,
                tool_calls = new[] { new { index = 0, id = "call_" + id[9..], type = "function", function = new { name = ToolName, arguments = "" } } },
            }, null, null)).ConfigureAwait(false);
            foreach (var piece in ToolArguments.Chunk(Math.Max(1, ToolArguments.Length / 3)))
            {
                await SendAsync(context, Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = new string(piece) } } } }, null, null)).ConfigureAwait(false);
            }

            await SendAsync(context, Chunk(new { }, "tool_calls", null)).ConfigureAwait(false);
        }
        else
        {
            await SendAsync(context, Chunk(new { content = "", refusal = (string?)null, role = "assistant" }, null, null)).ConfigureAwait(false);
            foreach (var delta in Deltas)
            {
                await SendAsync(context, Chunk(new { content = delta }, null, SafeFilters)).ConfigureAwait(false);
            }

            await SendAsync(context, Chunk(new { }, "stop", null)).ConfigureAwait(false);
        }

        if (body["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
        {
            await SendAsync(context, new
            {
                choices = Array.Empty<object>(), created, id, model = Model, @object = "chat.completion.chunk",
                system_fingerprint = "fp_b705f0c291", usage,
            }).ConfigureAwait(false);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted).ConfigureAwait(false);
    }

    // Azure's checks in its order: api-version present, the key or token, a served version, the deployment, then any
    // failure the test asked for. True when the request was answered with an error.
    private async Task HandleEmbeddingsAsync(HttpContext context, string deployment)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false))!.AsObject();
        var request = context.Request;
        string? Header(string name) => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
        var apiVersion = request.Query.TryGetValue("api-version", out var version) ? version.ToString() : null;
        if (CaptureRequests)
        {
            _requests.Enqueue(new AzureOpenAiWireRequest(request.Path, apiVersion, Header("api-key"), Header("Authorization"), body));
        }

        if (await RefusedAsync(context, deployment, apiVersion, "Embeddings_Create").ConfigureAwait(false))
        {
            return;
        }

        await OpenAiWire.EmbeddingsAsync(context, body, EmbeddingModel, EmbeddingDimensions).ConfigureAwait(false);
    }

    private async Task<bool> RefusedAsync(HttpContext context, string deployment, string? apiVersion, string operation)
    {
        var request = context.Request;
        string? Header(string name) => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
        if (apiVersion is null)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, "404", "Resource not found").ConfigureAwait(false);
            return true;
        }

        var keyed = ExpectedKey is not null && Header("api-key") == ExpectedKey;
        var tokened = ExpectedToken is not null && Header("Authorization") == "Bearer " + ExpectedToken;
        if (!keyed && !tokened)
        {
            await (Header("Authorization") is not null && Header("api-key") is null
                ? ErrorAsync(context, StatusCodes.Status401Unauthorized, "PermissionDenied",
                    "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.")
                : ErrorAsync(context, StatusCodes.Status401Unauthorized, "401",
                    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.")).ConfigureAwait(false);
            return true;
        }

        if (!ApiVersions.Contains(apiVersion))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "BadRequest", "API version not supported").ConfigureAwait(false);
            return true;
        }

        if (!Deployments.Contains(deployment))
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, "DeploymentNotFound",
                "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.").ConfigureAwait(false);
            return true;
        }

        if (FailureStatus is { } failure)
        {
            if (failure == StatusCodes.Status429TooManyRequests)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["retry-after-ms"] = (RetryAfterSeconds * 1000).ToString(CultureInfo.InvariantCulture);
                await ErrorAsync(context, failure, "429",
                    $"Requests to the {operation} Operation under Azure OpenAI API version {apiVersion} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after {RetryAfterSeconds} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.").ConfigureAwait(false);
            }
            else
            {
                await ErrorAsync(context, failure, "InternalServerError", "The service is temporarily unable to process your request. Please try again later.").ConfigureAwait(false);
            }

            return true;
        }

        return false;
    }

    private static async Task SendAsync(HttpContext context, object payload)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(payload) + "\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { code, message } }), context.RequestAborted).ConfigureAwait(false);
    }
}
