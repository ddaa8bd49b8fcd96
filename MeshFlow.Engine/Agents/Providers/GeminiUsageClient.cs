using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// Gemini's OpenAI-compatible stream puts the usage so far in every chunk, where OpenAI's puts the total in the last
/// one; a step adds up every usage it is given, so only the last of a stream's is passed on, at its end.
/// </summary>
internal sealed class GeminiUsageClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        UsageContent? usage = null;
        ChatResponseUpdate? last = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            for (var i = update.Contents.Count - 1; i >= 0; i--)
            {
                if (update.Contents[i] is UsageContent running)
                {
                    usage = running;
                    update.Contents.RemoveAt(i);
                }
            }

            last = update;
            yield return update;
        }

        if (usage is not null)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [usage])
            {
                ResponseId = last?.ResponseId, MessageId = last?.MessageId, ModelId = last?.ModelId,
            };
        }
    }
}
