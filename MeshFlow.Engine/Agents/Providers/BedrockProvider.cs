using Anthropic.Bedrock;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// AWS Bedrock: Claude models through the Anthropic SDK's Bedrock client (<c>invoke</c> and
/// <c>invoke-with-response-stream</c>, signed with SigV4 or sent with a Bedrock API key, see
/// <see cref="BedrockCredentials"/>); every other model through Bedrock's OpenAI-compatible endpoint
/// (<c>/openai/v1</c>), which takes a Bedrock API key. A connection's <c>Endpoint</c> replaces the regional runtime
/// address (<c>https://bedrock-runtime.{region}.amazonaws.com</c>) for both.
/// </summary>
internal static class BedrockProvider
{
    public static (IChatClient Client, IProviderErrors Errors) Create(LlmConnection connection, string model, ChatProviderOptions options)
    {
        var region = connection.Region ?? Variable(options, "AWS_REGION") ?? Variable(options, "AWS_DEFAULT_REGION")
            ?? throw new LlmProviderException(connection.ConfigurationName, model, null,
                $"the LLM connection '{connection.ConfigurationName}' (bedrock) has no Region, and neither AWS_REGION nor AWS_DEFAULT_REGION is set",
                transient: false);
        var runtime = connection.Endpoint is { } endpoint
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/")
            : new Uri($"https://bedrock-runtime.{region}.amazonaws.com/");
        if (!IsClaude(model))
        {
            if (connection.Key is null)
            {
                throw new LlmProviderException(connection.ConfigurationName, model, null,
                    $"the LLM connection '{connection.ConfigurationName}' (bedrock) has no Key for model '{model}': models other than Claude " +
                    "go through Bedrock's OpenAI-compatible endpoint, which takes a Bedrock API key (Key=...)",
                    transient: false);
            }

            return (OpenAiProvider.Create(connection, model, options, new Uri(runtime, "openai/v1")), OpenAiProvider.Instance);
        }

        // As for Anthropic itself: no retries of the SDK's own (the resilience layer owns them), metadata-only spans.
        var client = new AnthropicBedrockClient(new BedrockCredentials(connection, model, region, options.Environment))
        {
            BaseUrl = runtime.AbsoluteUri.TrimEnd('/'),
            HttpClient = new HttpClient(new BedrockTransport(options.Http)) { Timeout = Timeout.InfiniteTimeSpan },
            Handlers = [new AnthropicErrorHeaders()],
            MaxRetries = 0,
            Timeout = options.NetworkTimeout,
            OpenTelemetry = AnthropicProvider.Telemetry,
        };
        return (AnthropicProvider.ChatClient(client, model, options), AnthropicProvider.Instance);
    }

    /// <summary>
    /// Whether a Bedrock model id names a Claude model: <c>anthropic.claude-...</c>, a cross-region inference profile
    /// (<c>us.anthropic.claude-...</c>), or the ARN of either.
    /// </summary>
    public static bool IsClaude(string model)
    {
        var id = model[(model.LastIndexOf('/') + 1)..];
        return id.StartsWith("anthropic.", StringComparison.OrdinalIgnoreCase)
            || id.AsSpan(id.IndexOf('.') + 1).StartsWith("anthropic.", StringComparison.OrdinalIgnoreCase);
    }

    private static string? Variable(ChatProviderOptions options, string name) => options.Environment(name) is { Length: > 0 } value ? value : null;
}
