using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Polly;
using Polly.CircuitBreaker;

namespace MeshFlow.Agents.Resilience;

/// <summary>
/// A provider model's client behind its connection's resilience pipeline. A streamed call is judged up to its first
/// update: opening the stream and receiving the first token are retried and counted by the breaker; once tokens flow,
/// a failure is the step's to handle (it is never silently switched to another attempt).
/// </summary>
internal sealed class ResilientChatClient(IChatClient inner, ResiliencePipeline pipeline, string connection, string model)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var prompt = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        try
        {
            return await pipeline.ExecuteAsync(
                async token => await base.GetResponseAsync(prompt, options, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException open)
        {
            throw new ProviderCircuitOpenException(connection, model, open.RetryAfter, open);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Each attempt sends the same prompt again.
        var prompt = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        IAsyncEnumerator<ChatResponseUpdate> updates;
        bool any;
        try
        {
            (updates, any) = await pipeline.ExecuteAsync(async token =>
            {
                var attempt = base.GetStreamingResponseAsync(prompt, options, token).GetAsyncEnumerator(token);
                try
                {
                    return (attempt, await attempt.MoveNextAsync().ConfigureAwait(false));
                }
                catch
                {
                    await attempt.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException open)
        {
            throw new ProviderCircuitOpenException(connection, model, open.RetryAfter, open);
        }

        await using (updates.ConfigureAwait(false))
        {
            if (!any)
            {
                yield break;
            }

            yield return updates.Current;
            while (await updates.MoveNextAsync().ConfigureAwait(false))
            {
                yield return updates.Current;
            }
        }
    }
}
