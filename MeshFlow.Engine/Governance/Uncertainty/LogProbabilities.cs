using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace MeshFlow.Governance.Uncertainty;

/// <summary>Asks a chat client for token log-probabilities and collects them from its streamed updates.</summary>
/// <remarks>
/// <para>
/// Microsoft.Extensions.AI has no portable log-probability option. Its OpenAI chat-completions adapter
/// (<c>OpenAI.Chat.ChatClient.AsIChatClient()</c>) starts from the <see cref="ChatCompletionOptions"/> that
/// <see cref="ChatOptions.RawRepresentationFactory"/> returns, so <see cref="Request"/> returns one with
/// <see cref="ChatCompletionOptions.IncludeLogProbabilities"/> set (the request then carries <c>"logprobs": true</c>).
/// Each streamed <see cref="ChatResponseUpdate"/> keeps the adapter's <see cref="StreamingChatCompletionUpdate"/> as
/// its <see cref="ChatResponseUpdate.RawRepresentation"/>, whose
/// <see cref="StreamingChatCompletionUpdate.ContentTokenLogProbabilities"/> hold the chunk's tokens;
/// <see cref="Collect"/> reads them from there.
/// </para>
/// <para>
/// Other clients (and the OpenAI Responses adapter, whose raw options are another type) get no raw options from
/// <see cref="Request"/> and stream no log-probabilities; a client of MeshFlow's own can put them in
/// <see cref="ChatResponseUpdate.AdditionalProperties"/> under <see cref="AdditionalPropertyKey"/> instead.
/// Without any, use <see cref="UncertaintyEstimator.FromText"/>.
/// </para>
/// </remarks>
public static class LogProbabilities
{
    /// <summary>
    /// The <see cref="ChatResponseUpdate.AdditionalProperties"/> key under which a client may report an update's token
    /// log-probabilities, as a <c>double[]</c> or an <see cref="IReadOnlyList{T}"/> of <see cref="double"/>.
    /// </summary>
    public const string AdditionalPropertyKey = "logprobs";

    /// <summary>A copy of <paramref name="options"/> (or new options) that asks the client for token log-probabilities.</summary>
    /// <remarks>
    /// The copy's <see cref="ChatOptions.RawRepresentationFactory"/> calls the original one first and keeps what it
    /// returns: OpenAI <see cref="ChatCompletionOptions"/> get <see cref="ChatCompletionOptions.IncludeLogProbabilities"/>
    /// set and every other setting kept; another client's raw options are returned untouched. With no original factory,
    /// fresh <see cref="ChatCompletionOptions"/> are returned only to an OpenAI chat-completions client. The original
    /// options are not changed. The copy allocates a closure: make it once per agent, not once per step.
    /// </remarks>
    public static ChatOptions Request(ChatOptions? options)
    {
        var copy = options?.Clone() ?? new ChatOptions();
        var original = copy.RawRepresentationFactory;
        copy.RawRepresentationFactory = client => WithLogProbabilities(original?.Invoke(client), client);
        return copy;
    }

    /// <summary>Appends the token log-probabilities <paramref name="update"/> carries, if any, to <paramref name="into"/>.</summary>
    public static void Collect(ChatResponseUpdate update, List<double> into)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(into);
        if (update.RawRepresentation is StreamingChatCompletionUpdate { ContentTokenLogProbabilities: { Count: > 0 } tokens })
        {
            foreach (var token in tokens)
            {
                into.Add(token.LogProbability);
            }
        }

        if (update.AdditionalProperties?.TryGetValue(AdditionalPropertyKey, out var reported) == true)
        {
            switch (reported)
            {
                case double[] array:
                    into.AddRange(array);
                    break;
                case IReadOnlyList<double> list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        into.Add(list[i]);
                    }

                    break;
            }
        }
    }

    private static object? WithLogProbabilities(object? raw, IChatClient client)
    {
        switch (raw)
        {
            case ChatCompletionOptions openAI:
                openAI.IncludeLogProbabilities = true;
                return openAI;
            case null when client.GetService<ChatClient>() is not null:
                return new ChatCompletionOptions { IncludeLogProbabilities = true };
            default:
                return raw;
        }
    }
}
