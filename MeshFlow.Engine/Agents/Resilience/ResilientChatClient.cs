using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Polly;
using Polly.CircuitBreaker;

namespace MeshFlow.Agents.Resilience;

/// <summary>
/// A provider model's client behind its connection's resilience pipeline. A streamed call is judged up to its first
/// token: opening the stream and receiving the first update that says something (text, a tool call, a finish) are
/// retried and counted by the breaker, the empty updates before it (a role, a <c>message_start</c>) held back until
/// then; once tokens flow, a failure is the step's to handle (it is never silently switched to another attempt).
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
        List<ChatResponseUpdate> held;
        bool more;
        try
        {
            (updates, held, more) = await pipeline.ExecuteAsync(async token =>
            {
                var attempt = base.GetStreamingResponseAsync(prompt, options, token).GetAsyncEnumerator(token);
                var before = new List<ChatResponseUpdate>(2);
                try
                {
                    while (await attempt.MoveNextAsync().ConfigureAwait(false))
                    {
                        before.Add(attempt.Current);
                        if (Says(attempt.Current))
                        {
                            return (attempt, before, true);
                        }
                    }

                    return (attempt, before, false);
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
            foreach (var update in held)
            {
                yield return update;
            }

            while (more && await updates.MoveNextAsync().ConfigureAwait(false))
            {
                yield return updates.Current;
            }
        }
    }

    // Whether an update is the model's first word: text, a tool call or anything else but usage, or a finish.
    private static bool Says(ChatResponseUpdate update)
    {
        if (update.FinishReason is not null)
        {
            return true;
        }

        foreach (var content in update.Contents)
        {
            if (content is TextContent text ? text.Text.Length > 0 : content is not UsageContent)
            {
                return true;
            }
        }

        return false;
    }
}
