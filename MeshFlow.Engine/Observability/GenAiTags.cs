namespace MeshFlow.Observability;

/// <summary>
/// The OpenTelemetry GenAI semantic convention names MeshFlow's spans carry (the version Microsoft.Extensions.AI
/// 10.11 emits, with <c>gen_ai.provider.name</c>): model calls are traced by its <c>OpenTelemetryChatClient</c>,
/// tool nodes by the engine.
/// </summary>
public static class GenAiTags
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string FinishReasons = "gen_ai.response.finish_reasons";
    public const string ToolName = "gen_ai.tool.name";
    public const string ToolCallId = "gen_ai.tool.call.id";
    public const string ToolType = "gen_ai.tool.type";

    /// <summary>The operation of a model call.</summary>
    public const string ChatOperation = "chat";

    /// <summary>The operation of a tool call.</summary>
    public const string ExecuteToolOperation = "execute_tool";

    /// <summary>The tags that hold prompt or completion content; recorded only with <c>MESHFLOW_TRACE_CONTENT=true</c>, and then scrubbed.</summary>
    public static IReadOnlyList<string> ContentTags { get; } =
    [
        "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions",
        "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "gen_ai.tool.definitions",
    ];
}
