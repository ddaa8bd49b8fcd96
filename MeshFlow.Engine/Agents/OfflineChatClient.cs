using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents;

/// <summary>
/// The built-in <c>offline</c> model: a deterministic reply derived from the prompt (the same prompt always gives
/// the same reply), streamed word by word. It says plainly that it is offline. It reports no usage, so the engine
/// counts tokens with a tokenizer and marks them estimated.
/// </summary>
public sealed class OfflineChatClient : IChatClient
{
    private static readonly ChatClientMetadata Metadata = new("meshflow-offline", null, ModelNames.Offline);

    /// <summary>The shared instance; the client keeps no state.</summary>
    public static OfflineChatClient Instance { get; } = new();

    /// <summary>The reply the model gives to these messages.</summary>
    public static string Reply(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string? instructions = null;
        string? task = null;
        var prompt = new StringBuilder();
        foreach (var message in messages)
        {
            var text = message.Text;
            prompt.Append(message.Role.Value).Append(':').Append(text).Append('\n');
            if (message.Role == ChatRole.System)
            {
                instructions ??= text;
            }
            else if (message.Role == ChatRole.User)
            {
                task = text;
            }
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt.ToString())).AsSpan(0, 4));
        var reply = new StringBuilder("[offline model] ");
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            reply.Append("Following \"").Append(Excerpt(instructions)).Append("\": ");
        }

        reply.Append("a deterministic reply to \"").Append(Excerpt(task ?? string.Empty))
            .Append("\" (prompt digest ").Append(digest)
            .Append("). Configure ConnectionStrings:llm for real model output.");
        return reply.ToString();
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken)
            .ConfigureAwait(false);

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var responseId = Guid.NewGuid().ToString("N");
        foreach (var chunk in TextChunker.Chunks(Reply(messages)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, chunk)
            {
                ModelId = ModelNames.Offline,
                ResponseId = responseId,
            };
        }

        await Task.CompletedTask.ConfigureAwait(false);
        yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop, ModelId = ModelNames.Offline, ResponseId = responseId };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static string Excerpt(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 80 ? flat : string.Concat(flat.AsSpan(0, 77), "...");
    }
}
