using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents;

/// <summary>
/// Streams plain chat completions from an OpenAI-compatible endpoint itself, and hands everything else to the OpenAI
/// client it wraps. "Plain": text messages with the system, user and assistant roles, and no options but the
/// temperature and the output-token limit, which is what an agent without tools asks for. Tools, structured output,
/// other content and every non-streaming call go through the wrapped client unchanged.
/// </summary>
/// <remarks>
/// <para>
/// The request is the one the OpenAI client sends for the same call (<c>model</c>, <c>messages</c>, <c>stream</c>,
/// <c>stream_options.include_usage</c>, <c>temperature</c>, <c>max_completion_tokens</c>); each streamed chunk is read
/// with a <see cref="Utf8JsonReader"/> straight from the event's bytes into one <see cref="ChatResponseUpdate"/>.
/// Through the OpenAI client every chunk became a JSON document, a tree of SDK objects with their strings, and then
/// the update, behind four layers of async enumerators: about 6 KB allocated a token, two thirds of a worker's
/// allocations while it streams, and a garbage collection (which stops every stream of the worker) every few seconds.
/// </para>
/// <para>
/// A response that is not a <c>200</c> event stream, or a request that never reaches the server, is handed to the
/// wrapped client, which sends the request again and applies its own retries and error reporting, so a failure reads
/// as it did (<c>HTTP 401 (invalid_request_error: ...)</c>). A refused request generated nothing; one left unanswered
/// is sent again as the OpenAI client's retry policy would have sent it.
/// Errors reported inside the stream, a chunk that is not JSON and a stream silent for the idle timeout
/// end the enumeration with an exception that names the problem; none of them carries the key.
/// </para>
/// </remarks>
public sealed class OpenAiDirectStreamingClient : DelegatingChatClient
{
    /// <summary>How long a stream may send nothing before the call fails, by default: the OpenAI client's network timeout.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(100);

    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly Uri _completions;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly string _model;
    private readonly TimeSpan _idleTimeout;

    /// <summary>Creates a client for <paramref name="model"/> at <paramref name="endpoint"/>.</summary>
    /// <param name="inner">The OpenAI client for the same endpoint, key and model, which serves every other call.</param>
    /// <param name="http">The HTTP client the streams are read with (shared; not disposed here).</param>
    /// <param name="endpoint">The API's base address, as the OpenAI client takes it (<c>https://api.openai.com/v1</c>).</param>
    /// <param name="key">The API key, sent as a bearer token.</param>
    /// <param name="model">The model asked for when the call names none.</param>
    /// <param name="idleTimeout">How long a stream may send nothing before the call fails; null: <see cref="DefaultIdleTimeout"/>.</param>
    public OpenAiDirectStreamingClient(IChatClient inner, HttpClient http, Uri endpoint, string key, string model, TimeSpan? idleTimeout = null)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(model);
        _http = http;
        var baseAddress = endpoint.AbsoluteUri;
        _completions = new Uri(baseAddress.EndsWith('/') ? baseAddress + "chat/completions" : baseAddress + "/chat/completions");
        _authorization = new AuthenticationHeaderValue("Bearer", key);
        _model = model;
        _idleTimeout = idleTimeout ?? DefaultIdleTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_idleTimeout, TimeSpan.Zero, nameof(idleTimeout));
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        return IsPlain(list, options)
            ? StreamAsync(list, options, cancellationToken)
            : base.GetStreamingResponseAsync(list, options, cancellationToken);
    }

    /// <summary>Whether this client streams the call itself (see the class remarks) rather than the wrapped client.</summary>
    private static bool IsPlain(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        if (options is not null && (options.Tools is { Count: > 0 } || options.ToolMode is not null || options.AllowMultipleToolCalls is not null
            || options.ResponseFormat is not null || options.StopSequences is { Count: > 0 } || options.TopP is not null || options.TopK is not null
            || options.FrequencyPenalty is not null || options.PresencePenalty is not null || options.Seed is not null || options.Reasoning is not null
            || options.ConversationId is not null || options.Instructions is not null || options.AllowBackgroundResponses is not null
            || options.ContinuationToken is not null || options.RawRepresentationFactory is not null || options.AdditionalProperties is { Count: > 0 }))
        {
            return false;
        }

        foreach (var message in messages)
        {
            if ((message.Role != ChatRole.System && message.Role != ChatRole.User && message.Role != ChatRole.Assistant)
                || message.AuthorName is not null || message.AdditionalProperties is { Count: > 0 })
            {
                return false;
            }

            foreach (var content in message.Contents)
            {
                if (content is not TextContent || content.AdditionalProperties is { Count: > 0 })
                {
                    return false;
                }
            }
        }

        return true;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await SendAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            // Not an event stream, or no answer at all: the wrapped client sends the call and reports what happens.
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using (response)
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var chunks = new ChunkReader();
                idle.CancelAfter(_idleTimeout);
                var events = SseParser.Create(body, chunks.Parse).EnumerateAsync(idle.Token).GetAsyncEnumerator(idle.Token);
                try
                {
                    while (true)
                    {
                        bool more;
                        try
                        {
                            more = await events.MoveNextAsync().ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                        {
                            // Scheme, host and path only: user info or a query could hold a secret.
                            throw new TimeoutException(
                                $"the model's stream sent nothing for {_idleTimeout.TotalSeconds:0.#} s ({_completions.Scheme}://{_completions.Authority}{_completions.AbsolutePath})");
                        }

                        if (!more || chunks.Done)
                        {
                            break;
                        }

                        if (events.Current.Data is { } update)
                        {
                            idle.CancelAfter(_idleTimeout);
                            yield return update;
                        }
                    }
                }
                finally
                {
                    await events.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    // The response if it is a 200 event stream; null (nothing read, the response disposed) otherwise.
    private async Task<HttpResponseMessage?> SendAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _completions);
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(EventStream);
        var content = new ByteArrayContent(RequestBody(messages, options));
        content.Headers.ContentType = Json;
        request.Content = content;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout: the wrapped client tries again under its retry policy.
            return null;
        }

        if (response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return response;
        }

        response.Dispose();
        return null;
    }

    private byte[] RequestBody(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("messages"u8);
            foreach (var message in messages)
            {
                json.WriteStartObject();
                json.WriteString("role"u8, message.Role.Value);
                json.WriteString("content"u8, message.Text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("model"u8, options?.ModelId ?? _model);
            json.WriteBoolean("stream"u8, true);
            json.WriteStartObject("stream_options"u8);
            json.WriteBoolean("include_usage"u8, true);
            json.WriteEndObject();
            if (options?.Temperature is { } temperature)
            {
                json.WriteNumber("temperature"u8, temperature);
            }

            if (options?.MaxOutputTokens is { } maxOutput)
            {
                json.WriteNumber("max_completion_tokens"u8, maxOutput);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads one stream's chunks (<c>chat.completion.chunk</c> JSON, then <c>[DONE]</c>) into updates. A stream's
    /// chunks repeat their id and model: each is kept as one string, made once.
    /// </summary>
    internal sealed class ChunkReader
    {
        private string? _id;
        private string? _model;

        /// <summary>Whether <c>[DONE]</c> has come.</summary>
        public bool Done { get; private set; }

        /// <summary>The update a chunk carries; null for <c>[DONE]</c> and for a chunk that carries nothing.</summary>
        /// <exception cref="InvalidOperationException">The chunk reports an error, or is not JSON.</exception>
        public ChatResponseUpdate? Parse(string eventType, ReadOnlySpan<byte> data)
        {
            if (data.SequenceEqual("[DONE]"u8))
            {
                Done = true;
                return null;
            }

            try
            {
                return Read(data);
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException(
                    $"the model's stream sent a chunk that is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {Excerpt(data)}", e);
            }
        }

        private ChatResponseUpdate? Read(ReadOnlySpan<byte> data)
        {
            var reader = new Utf8JsonReader(data);
            Expect(ref reader, JsonTokenType.StartObject);
            string? text = null;
            string? finish = null;
            ChatRole? role = null;
            long? created = null;
            UsageDetails? usage = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    if (Next(ref reader) == JsonTokenType.StartArray)
                    {
                        ReadChoices(ref reader, ref text, ref finish, ref role);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    Next(ref reader);
                    _id = Kept(ref reader, _id);
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    Next(ref reader);
                    _model = Kept(ref reader, _model);
                }
                else if (reader.ValueTextEquals("created"u8))
                {
                    Next(ref reader);
                    created = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds) ? seconds : null;
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    if (Next(ref reader) == JsonTokenType.StartObject)
                    {
                        usage = ReadUsage(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    if (Next(ref reader) != JsonTokenType.Null)
                    {
                        throw new InvalidOperationException($"the model's stream reported an error: {ErrorText(ref reader)}");
                    }
                }
                else
                {
                    Next(ref reader);
                    reader.Skip();
                }
            }

            if (text is null && finish is null && usage is null)
            {
                return null;
            }

            List<AIContent> contents = [];
            if (text is not null)
            {
                contents.Add(new TextContent(text));
            }

            if (usage is not null)
            {
                contents.Add(new UsageContent(usage));
            }

            return new ChatResponseUpdate(role ?? ChatRole.Assistant, contents)
            {
                ResponseId = _id,
                MessageId = _id,
                ModelId = _model,
                CreatedAt = created is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : null,
                FinishReason = finish switch
                {
                    null => null,
                    "stop" => ChatFinishReason.Stop,
                    "length" => ChatFinishReason.Length,
                    "content_filter" => ChatFinishReason.ContentFilter,
                    "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
                    _ => new ChatFinishReason(finish),
                },
            };
        }

        // choices: [{ "index": 0, "delta": { "role": ..., "content": ... }, "finish_reason": ... }, ...]: the text of
        // every choice's delta (there is one unless n > 1, which this client never asks for).
        private static void ReadChoices(ref Utf8JsonReader reader, ref string? text, ref string? finish, ref ChatRole? role)
        {
            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("delta"u8))
                    {
                        if (Next(ref reader) != JsonTokenType.StartObject)
                        {
                            reader.Skip();
                            continue;
                        }

                        while (Next(ref reader) == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals("content"u8))
                            {
                                Next(ref reader);
                                if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } piece)
                                {
                                    text = text is null ? piece : text + piece;
                                }
                            }
                            else if (reader.ValueTextEquals("role"u8))
                            {
                                Next(ref reader);
                                if (reader.TokenType == JsonTokenType.String)
                                {
                                    role = reader.ValueTextEquals("assistant"u8) ? ChatRole.Assistant : new ChatRole(reader.GetString()!);
                                }
                            }
                            else
                            {
                                Next(ref reader);
                                reader.Skip();
                            }
                        }
                    }
                    else if (reader.ValueTextEquals("finish_reason"u8))
                    {
                        Next(ref reader);
                        finish = reader.TokenType == JsonTokenType.String ? reader.GetString() : finish;
                    }
                    else
                    {
                        Next(ref reader);
                        reader.Skip();
                    }
                }
            }
        }

        private static UsageDetails ReadUsage(ref Utf8JsonReader reader)
        {
            var usage = new UsageDetails();
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("prompt_tokens_details"u8))
                {
                    // { "cached_tokens": n }: the part of the prompt served from the provider's cache, priced lower.
                    if (Next(ref reader) == JsonTokenType.StartObject)
                    {
                        while (Next(ref reader) == JsonTokenType.PropertyName)
                        {
                            var cached = reader.ValueTextEquals("cached_tokens"u8);
                            Next(ref reader);
                            if (cached && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var tokens))
                            {
                                usage.CachedInputTokenCount = tokens;
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }

                    continue;
                }

                var field = reader.ValueTextEquals("prompt_tokens"u8) ? 1 : reader.ValueTextEquals("completion_tokens"u8) ? 2 : reader.ValueTextEquals("total_tokens"u8) ? 3 : 0;
                Next(ref reader);
                if (field == 0 || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var count))
                {
                    reader.Skip();
                    continue;
                }

                switch (field)
                {
                    case 1:
                        usage.InputTokenCount = count;
                        break;
                    case 2:
                        usage.OutputTokenCount = count;
                        break;
                    default:
                        usage.TotalTokenCount = count;
                        break;
                }
            }

            return usage;
        }

        // { "message": ..., "type": ..., "code": ... } or a bare string: "type: message".
        private static string ErrorText(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString() ?? "(no message)";
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return "(no message)";
            }

            string? message = null;
            string? type = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var isMessage = reader.ValueTextEquals("message"u8);
                var isType = reader.ValueTextEquals("type"u8);
                Next(ref reader);
                if ((isMessage || isType) && reader.TokenType == JsonTokenType.String)
                {
                    if (isMessage)
                    {
                        message = reader.GetString();
                    }
                    else
                    {
                        type = reader.GetString();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            return type is null ? message ?? "(no message)" : $"{type}: {message ?? "(no message)"}";
        }

        // The string a repeated field holds, made once: the previous one while the bytes are the same.
        private static string? Kept(ref Utf8JsonReader reader, string? previous) =>
            reader.TokenType != JsonTokenType.String ? previous
            : previous is not null && reader.ValueTextEquals(previous) ? previous
            : reader.GetString();

        private static JsonTokenType Next(ref Utf8JsonReader reader) =>
            reader.Read() ? reader.TokenType : throw new JsonException("the chunk ends early");

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
        {
            if (Next(ref reader) != type)
            {
                throw new JsonException($"expected {type}, found {reader.TokenType}");
            }
        }

        private static string Excerpt(ReadOnlySpan<byte> data)
        {
            const int Max = 120;
            var text = Encoding.UTF8.GetString(data.Length > Max ? data[..Max] : data);
            return data.Length > Max ? text + "…" : text;
        }
    }
}
