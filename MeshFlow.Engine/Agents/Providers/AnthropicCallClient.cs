using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// Around the Anthropic SDK's chat client (for Anthropic and for Claude on Bedrock): holds the output asked for to the
/// model's limit (<see cref="AnthropicOutputLimits"/>), fails a stream that goes silent for the network timeout, and
/// keeps a refused response's headers with the SDK's exception (<see cref="AnthropicErrorHeaders"/>).
/// </summary>
internal sealed class AnthropicCallClient(IChatClient inner, string model, TimeSpan idleTimeout) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var slot = AnthropicErrorHeaders.Open();
        try
        {
            return await base.GetResponseAsync(messages, Limited(options), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AnthropicErrorHeaders.Attach(ex, slot))
        {
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The SDK's own timeout ends when the response's headers arrive; a stream that then goes silent would hold the
        // step until the step timeout, so each wait for the next event has the network timeout of its own.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var slot = new AnthropicErrorHeaders.Slot();
        var updates = base.GetStreamingResponseAsync(messages, Limited(options), idle.Token).GetAsyncEnumerator(idle.Token);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                idle.CancelAfter(idleTimeout);
                try
                {
                    // Each resumption of this iterator runs on its caller's context: the call's slot is opened on it again.
                    AnthropicErrorHeaders.Open(slot);
                    more = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"the provider sent nothing for {idleTimeout.TotalSeconds:0.###} s", ex);
                }
                catch (Exception ex) when (AnthropicErrorHeaders.Attach(ex, slot))
                {
                    throw;
                }

                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                if (!more)
                {
                    yield break;
                }

                yield return updates.Current;
            }
        }
    }

    private ChatOptions Limited(ChatOptions? options)
    {
        var limit = AnthropicOutputLimits.Of(options?.ModelId ?? model);
        // Anthropic requires a limit: with none asked, the model's own, as other providers apply theirs.
        var wanted = options?.MaxOutputTokens ?? limit;
        if (options is not null && options.MaxOutputTokens == Math.Min(wanted, limit))
        {
            return options;
        }

        var limited = options?.Clone() ?? new ChatOptions();
        limited.MaxOutputTokens = Math.Min(wanted, limit);
        return limited;
    }
}
