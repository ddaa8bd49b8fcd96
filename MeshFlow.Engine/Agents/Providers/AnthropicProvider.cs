using System.Globalization;
using System.Net;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// Anthropic's Messages API through the official Anthropic SDK's <see cref="IChatClient"/>, and the errors of that
/// SDK (also those of Claude on Bedrock, which goes through the same SDK).
/// </summary>
/// <remarks>
/// The SDK's chat client reports usage as MeshFlow records it: its input count is Anthropic's
/// <c>input_tokens</c> plus <c>cache_read_input_tokens</c> plus <c>cache_creation_input_tokens</c>, and its cached
/// count is <c>cache_read_input_tokens</c>, a part of the input. Its finish reasons are <c>stop</c> (end_turn,
/// stop_sequence), <c>length</c> (max_tokens), <c>tool_calls</c> (tool_use) and <c>content_filter</c> (refusal).
/// </remarks>
internal sealed class AnthropicProvider : IProviderErrors
{
    public static readonly AnthropicProvider Instance = new();

    // The SDK's chat client would ask for 1024 output tokens when a node sets no limit, which cuts an ordinary drafted
    // answer short; MeshFlow's call client always sets the limit itself (the node's max_output_tokens, or what is left
    // of the run's token budget, up to the model's own limit), so this is only the SDK's fallback.
    internal const int DefaultMaxOutputTokens = 8192;

    // Status of the errors a stream reports inside a 200 answer, by the type it names (Anthropic's error types, and
    // the exception types of Bedrock's event stream): the status the same error has when it is the answer.
    private static readonly Dictionary<string, HttpStatusCode> StreamErrorStatus = new(StringComparer.OrdinalIgnoreCase)
    {
        ["invalid_request_error"] = HttpStatusCode.BadRequest,
        ["validationException"] = HttpStatusCode.BadRequest,
        ["authentication_error"] = HttpStatusCode.Unauthorized,
        ["permission_error"] = HttpStatusCode.Forbidden,
        ["accessDeniedException"] = HttpStatusCode.Forbidden,
        ["not_found_error"] = HttpStatusCode.NotFound,
        ["resourceNotFoundException"] = HttpStatusCode.NotFound,
        ["request_too_large"] = HttpStatusCode.RequestEntityTooLarge,
        ["rate_limit_error"] = HttpStatusCode.TooManyRequests,
        ["throttlingException"] = HttpStatusCode.TooManyRequests,
        ["serviceQuotaExceededException"] = HttpStatusCode.TooManyRequests,
        ["api_error"] = HttpStatusCode.InternalServerError,
        ["internalServerException"] = HttpStatusCode.InternalServerError,
        ["modelStreamErrorException"] = HttpStatusCode.InternalServerError,
        ["serviceUnavailableException"] = HttpStatusCode.ServiceUnavailable,
        ["timeout_error"] = HttpStatusCode.GatewayTimeout,
        ["modelTimeoutException"] = HttpStatusCode.GatewayTimeout,
        ["overloaded_error"] = (HttpStatusCode)529,
    };

    /// <summary>
    /// The SDK's span settings for every MeshFlow client of it: metadata only, whatever the environment says, since
    /// prompts reach traces only through MeshFlow's own scrubbed records.
    /// </summary>
    public static OpenTelemetryOptions Telemetry { get; } = new() { Traces = new OpenTelemetryTraces { ContentMode = OpenTelemetryContentMode.MetadataOnly } };

    public static IChatClient Create(LlmConnection connection, string model, ChatProviderOptions options)
    {
        // The resilience layer owns retries and the circuit breaker: the SDK's own retries (MaxRetries) would hide
        // failures from the breaker and multiply a rate limit's requests.
        var client = new AnthropicClient(new ClientOptions
        {
            ApiKey = connection.Key,
            BaseUrl = BaseUrlOf(connection.Endpoint),
            HttpClient = options.Http,
            Handlers = [new AnthropicErrorHeaders()],
            MaxRetries = 0,
            Timeout = options.NetworkTimeout,
            OpenTelemetry = Telemetry,
        });
        return ChatClient(client, model, options);
    }

    /// <summary>The chat client of an Anthropic SDK client (Anthropic's own, or Bedrock's) for <paramref name="model"/>.</summary>
    public static IChatClient ChatClient(IAnthropicClient client, string model, ChatProviderOptions options) =>
        new AnthropicCallClient(client.AsIChatClient(model, DefaultMaxOutputTokens), model, options.NetworkTimeout);

    public LlmProviderException? Classify(Exception error, LlmConnection connection, string model)
    {
        HttpStatusCode? status;
        string detail;
        switch (error)
        {
            case AnthropicApiException api:
                status = api.StatusCode;
                var headers = AnthropicErrorHeaders.Of(api);
                detail = $"HTTP {(int)api.StatusCode} {TypeOf(api.Body) ?? headers?.ErrorType ?? api.StatusCode.ToString()}: {MessageOf(api.Body) ?? Shortened(api.ResponseBody)}";
                return Refused(connection, model, status, detail, headers?.RetryAfter, api);
            case AnthropicSseException stream:
                var type = TypeOf(stream.Body);
                status = type is not null && StreamErrorStatus.TryGetValue(type, out var known) ? known : null;
                detail = $"error event in the stream, {type ?? "of no type"}: {MessageOf(stream.Body) ?? "no message"}";
                return Refused(connection, model, status, detail, null, stream);
            case AnthropicIOException io:
                // The SDK's typed InnerException throws when there is none; the base property does not.
                var http = ((Exception)io).InnerException as HttpRequestException;
                return new LlmProviderException(connection.ConfigurationName, model, http?.StatusCode,
                    $"the LLM connection '{connection.ConfigurationName}' could not reach its provider ({connection.Provider}) for model '{model}': {http?.Message ?? io.Message}",
                    transient: true, inner: io);
            case AnthropicInvalidDataException invalid:
                return new LlmProviderException(connection.ConfigurationName, model, null,
                    $"the provider behind '{connection.ConfigurationName}' ({connection.Provider}) answered model '{model}' with something the Anthropic SDK could not read: {invalid.Message}",
                    transient: false, inner: invalid);
            default:
                return null;
        }
    }

    // The SDK appends /v1/messages to its base URL; an endpoint given with the /v1 of other providers' base URLs
    // means the same server.
    private static string BaseUrlOf(Uri? endpoint)
    {
        if (endpoint is null)
        {
            return EnvironmentUrl.Production;
        }

        var url = endpoint.AbsoluteUri.TrimEnd('/');
        return url.EndsWith("/v1", StringComparison.Ordinal) ? url[..^3] : url;
    }

    private static LlmProviderException Refused(LlmConnection connection, string model, HttpStatusCode? status, string detail,
        TimeSpan? retryAfter, Exception inner)
    {
        var wait = retryAfter is { } after ? $"; it asks to retry after {after.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" : string.Empty;
        return new LlmProviderException(connection.ConfigurationName, model, status,
            $"the provider behind '{connection.ConfigurationName}' ({connection.Provider}) answered model '{model}' with {What(status)} ({detail}){wait}",
            transient: status is not { } code || LlmProviderException.IsTransientStatus(code), retryAfter, inner);
    }

    private static string What(HttpStatusCode? status) => (int?)status switch
    {
        400 => "an invalid request",
        401 => "authentication failed",
        403 => "permission denied",
        404 => "not found",
        413 => "request too large",
        429 => "rate limit reached",
        529 => "overloaded",
        >= 500 => "a server error",
        null => "an error",
        _ => "a refusal",
    };

    // Anthropic's errors are {"type":"error","error":{"type":...,"message":...}}; Bedrock's are {"message":...}.
    private static string? TypeOf(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object
            && inner.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    private static string? MessageOf(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var holder = body.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : body;
        return holder.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null;
    }

    private static string Shortened(string body) =>
        body.Length == 0 ? "no body" : body.Length <= 300 ? body : string.Concat(body.AsSpan(0, 300), "...");
}
