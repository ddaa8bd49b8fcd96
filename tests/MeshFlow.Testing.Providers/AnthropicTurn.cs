namespace MeshFlow.Testing.Providers;

/// <summary>
/// One scripted answer of the fake Anthropic (and Bedrock) server to one Messages request: text, a tool call, the stop
/// reason and usage it reports, or an error in place of all of it.
/// </summary>
public sealed record AnthropicTurn
{
    /// <summary>The text, as the <c>text_delta</c>s it is streamed in (joined in a non-streaming answer).</summary>
    public IReadOnlyList<string> TextDeltas { get; init; } = [];

    /// <summary>The tool the model calls after its text (a <c>tool_use</c> block), or null for none.</summary>
    public string? ToolName { get; init; }

    /// <summary>The id of the <c>tool_use</c> block.</summary>
    public string ToolUseId { get; init; } = "toolu_01MeshFlowFake";

    /// <summary>The tool call's input as JSON, streamed in <c>input_json_delta</c> pieces.</summary>
    public string ToolInputJson { get; init; } = "{}";

    /// <summary>The <c>stop_reason</c>; null: <c>tool_use</c> when the turn calls a tool, else <c>end_turn</c>.</summary>
    public string? StopReason { get; init; }

    /// <summary>Reported <c>input_tokens</c> (the input not read from or written to the prompt cache).</summary>
    public int InputTokens { get; init; } = 25;

    /// <summary>Reported <c>cache_read_input_tokens</c>.</summary>
    public int CacheReadInputTokens { get; init; }

    /// <summary>Reported <c>cache_creation_input_tokens</c>.</summary>
    public int CacheCreationInputTokens { get; init; }

    /// <summary>Reported <c>output_tokens</c>; null: one for each text delta, plus one for a tool call.</summary>
    public int? OutputTokens { get; init; }

    /// <summary>When not zero, the HTTP status of an error answered in place of the message.</summary>
    public int ErrorStatus { get; init; }

    /// <summary>The error's type: Anthropic's (<c>rate_limit_error</c>) or, on Bedrock, the AWS exception's (<c>ThrottlingException</c>).</summary>
    public string ErrorType { get; init; } = "api_error";

    /// <summary>The error's message.</summary>
    public string ErrorMessage { get; init; } = "Internal server error";

    /// <summary>The <c>retry-after</c> header of the error, in seconds, or null for none.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>When set, the stream ends after the text with an error of this type (an <c>error</c> event, or a Bedrock exception frame).</summary>
    public string? StreamErrorType { get; init; }

    /// <summary>How long the stream stays silent after <c>message_start</c>, to test a stalled stream.</summary>
    public TimeSpan StallAfterStart { get; init; }

    /// <summary>The output tokens reported.</summary>
    public int ReportedOutputTokens => OutputTokens ?? TextDeltas.Count + (ToolName is null ? 0 : 1);

    /// <summary>The stop reason reported.</summary>
    public string ReportedStopReason => StopReason ?? (ToolName is null ? "end_turn" : "tool_use");

    /// <summary>A text answer streamed in these deltas.</summary>
    public static AnthropicTurn Text(params string[] deltas) => new() { TextDeltas = deltas };

    /// <summary>A text answer of <paramref name="count"/> equal deltas (a long stream for benchmarks).</summary>
    public static AnthropicTurn Text(int count, string delta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new AnthropicTurn { TextDeltas = Enumerable.Repeat(delta, count).ToArray() };
    }

    /// <summary>A call of <paramref name="name"/> with <paramref name="inputJson"/>, after optional text.</summary>
    public static AnthropicTurn ToolUse(string name, string inputJson, params string[] textBefore) =>
        new() { ToolName = name, ToolInputJson = inputJson, TextDeltas = textBefore };

    /// <summary>An error answer.</summary>
    public static AnthropicTurn Error(int status, string type, string message, int? retryAfterSeconds = null) =>
        new() { ErrorStatus = status, ErrorType = type, ErrorMessage = message, RetryAfterSeconds = retryAfterSeconds };
}
