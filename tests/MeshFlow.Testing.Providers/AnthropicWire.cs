using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// Anthropic's Messages API wire format for a scripted turn: the streamed events (<c>message_start</c>,
/// <c>content_block_start</c>, <c>content_block_delta</c> with <c>text_delta</c> or <c>input_json_delta</c>,
/// <c>content_block_stop</c>, <c>message_delta</c>, <c>message_stop</c>) and the non-streaming message.
/// </summary>
internal static class AnthropicWire
{
    public static string MessageId() => "msg_01" + Guid.NewGuid().ToString("N")[..22];

    public static string RequestId() => "req_01" + Guid.NewGuid().ToString("N")[..22];

    /// <summary>
    /// Streams <paramref name="turn"/> of <paramref name="model"/> as events into <paramref name="sink"/>; one buffer serves
    /// every event. With <paramref name="bedrockMetrics"/>, <c>message_stop</c> carries Bedrock's
    /// <c>amazon-bedrock-invocationMetrics</c>.
    /// </summary>
    public static async Task StreamAsync(AnthropicTurn turn, string model, IAnthropicEventSink sink, bool bedrockMetrics, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer);

        async ValueTask Send(string type)
        {
            writer.Flush();
            await sink.EventAsync(type, buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
        }

        writer.WriteStartObject();
        writer.WriteString("type", "message_start");
        writer.WritePropertyName("message");
        writer.WriteStartObject();
        writer.WriteString("id", MessageId());
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        writer.WriteString("model", model);
        writer.WriteStartArray("content");
        writer.WriteEndArray();
        writer.WriteNull("stop_reason");
        writer.WriteNull("stop_sequence");
        WriteUsage(writer, turn, outputTokens: 1);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await Send("message_start").ConfigureAwait(false);

        if (turn.StallAfterStart > TimeSpan.Zero)
        {
            await Task.Delay(turn.StallAfterStart, cancellationToken).ConfigureAwait(false);
        }

        var index = 0;
        if (turn.TextDeltas.Count > 0)
        {
            BlockStart(writer, index, "text");
            writer.WriteString("text", string.Empty);
            writer.WriteEndObject();
            writer.WriteEndObject();
            await Send("content_block_start").ConfigureAwait(false);
            foreach (var text in turn.TextDeltas)
            {
                Delta(writer, index, "text_delta");
                writer.WriteString("text", text);
                writer.WriteEndObject();
                writer.WriteEndObject();
                await Send("content_block_delta").ConfigureAwait(false);
            }

            BlockStop(writer, index++);
            await Send("content_block_stop").ConfigureAwait(false);
        }

        if (turn.StreamErrorType is { } errorType)
        {
            await sink.ErrorAsync(errorType, $"{errorType} while generating", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (turn.ToolName is { } tool)
        {
            BlockStart(writer, index, "tool_use");
            writer.WriteString("id", turn.ToolUseId);
            writer.WriteString("name", tool);
            writer.WriteStartObject("input");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
            await Send("content_block_start").ConfigureAwait(false);

            // As the API does: an empty first piece, then the JSON in arbitrary cuts.
            foreach (var piece in Pieces(turn.ToolInputJson))
            {
                Delta(writer, index, "input_json_delta");
                writer.WriteString("partial_json", piece);
                writer.WriteEndObject();
                writer.WriteEndObject();
                await Send("content_block_delta").ConfigureAwait(false);
            }

            BlockStop(writer, index);
            await Send("content_block_stop").ConfigureAwait(false);
        }

        writer.WriteStartObject();
        writer.WriteString("type", "message_delta");
        writer.WriteStartObject("delta");
        writer.WriteString("stop_reason", turn.ReportedStopReason);
        writer.WriteNull("stop_sequence");
        writer.WriteEndObject();
        writer.WriteStartObject("usage");
        writer.WriteNumber("output_tokens", turn.ReportedOutputTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await Send("message_delta").ConfigureAwait(false);

        writer.WriteStartObject();
        writer.WriteString("type", "message_stop");
        if (bedrockMetrics)
        {
            writer.WriteStartObject("amazon-bedrock-invocationMetrics");
            writer.WriteNumber("inputTokenCount", turn.InputTokens);
            writer.WriteNumber("outputTokenCount", turn.ReportedOutputTokens);
            writer.WriteNumber("invocationLatency", 1);
            writer.WriteNumber("firstByteLatency", 1);
            writer.WriteNumber("cacheReadInputTokenCount", turn.CacheReadInputTokens);
            writer.WriteNumber("cacheWriteInputTokenCount", turn.CacheCreationInputTokens);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        await Send("message_stop").ConfigureAwait(false);
    }

    /// <summary>The non-streaming answer: the whole message.</summary>
    public static byte[] Message(AnthropicTurn turn, string model)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", MessageId());
            writer.WriteString("type", "message");
            writer.WriteString("role", "assistant");
            writer.WriteString("model", model);
            writer.WriteStartArray("content");
            if (turn.TextDeltas.Count > 0)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "text");
                writer.WriteString("text", string.Concat(turn.TextDeltas));
                writer.WriteEndObject();
            }

            if (turn.ToolName is { } tool)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "tool_use");
                writer.WriteString("id", turn.ToolUseId);
                writer.WriteString("name", tool);
                writer.WritePropertyName("input");
                JsonNode.Parse(turn.ToolInputJson)!.WriteTo(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("stop_reason", turn.ReportedStopReason);
            writer.WriteNull("stop_sequence");
            WriteUsage(writer, turn, turn.ReportedOutputTokens);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Anthropic's error body: <c>{"type":"error","error":{"type":...,"message":...},"request_id":...}</c>.</summary>
    public static byte[] Error(string type, string message) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
        ["request_id"] = RequestId(),
    });

    private static void WriteUsage(Utf8JsonWriter writer, AnthropicTurn turn, int outputTokens)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", turn.InputTokens);
        writer.WriteNumber("cache_creation_input_tokens", turn.CacheCreationInputTokens);
        writer.WriteNumber("cache_read_input_tokens", turn.CacheReadInputTokens);
        writer.WriteNumber("output_tokens", outputTokens);
        writer.WriteString("service_tier", "standard");
        writer.WriteEndObject();
    }

    private static void BlockStart(Utf8JsonWriter writer, int index, string type)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "content_block_start");
        writer.WriteNumber("index", index);
        writer.WriteStartObject("content_block");
        writer.WriteString("type", type);
    }

    private static void Delta(Utf8JsonWriter writer, int index, string type)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "content_block_delta");
        writer.WriteNumber("index", index);
        writer.WriteStartObject("delta");
        writer.WriteString("type", type);
    }

    private static void BlockStop(Utf8JsonWriter writer, int index)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "content_block_stop");
        writer.WriteNumber("index", index);
        writer.WriteEndObject();
    }

    private static IEnumerable<string> Pieces(string json)
    {
        yield return string.Empty;
        const int Cut = 7;
        for (var i = 0; i < json.Length; i += Cut)
        {
            yield return json.Substring(i, Math.Min(Cut, json.Length - i));
        }
    }
}
