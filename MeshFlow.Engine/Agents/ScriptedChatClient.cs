using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents;

/// <summary>
/// The built-in <c>scripted</c> model: answers each call with the next of its responses, in order. Text is
/// streamed word by word; a tool call is streamed as one <see cref="FunctionCallContent"/> (ids <c>call_1</c>,
/// <c>call_2</c>...) and a <see cref="ChatFinishReason.ToolCalls"/> finish, as a provider streams one, so that a
/// <see cref="FunctionInvokingChatClient"/> around it runs the tool and calls again for the next response. Asking
/// past the last response is an error that names how many there were.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private static readonly ChatClientMetadata Metadata = new("meshflow-scripted", null, ModelNames.Scripted);
    private readonly IReadOnlyList<ScriptedResponse> _responses;
    private int _next;
    private int _toolCalls;

    /// <summary>Creates a client that replays <paramref name="responses"/>: text, or tool calls.</summary>
    public ScriptedChatClient(IReadOnlyList<ScriptedResponse> responses, string? owner = null)
    {
        ArgumentNullException.ThrowIfNull(responses);
        _responses = responses;
        Owner = owner;
    }

    /// <summary>Creates a client that replays text <paramref name="responses"/>.</summary>
    public ScriptedChatClient(IReadOnlyList<string> responses, string? owner = null)
        : this([.. (responses ?? throw new ArgumentNullException(nameof(responses))).Select(ScriptedResponse.FromText)], owner)
    {
    }

    /// <summary>Who the script belongs to (a node id), for error messages.</summary>
    public string? Owner { get; }

    /// <summary>How many responses have been given.</summary>
    public int Calls => Volatile.Read(ref _next);

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken)
            .ConfigureAwait(false);

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var index = Interlocked.Increment(ref _next) - 1;
        if (index >= _responses.Count)
        {
            var who = Owner is null ? "the scripted model" : $"the scripted model of node '{Owner}'";
            throw new InvalidOperationException(
                $"{who} has no response left: it was given {_responses.Count} and this is call {index + 1}");
        }

        var response = _responses[index];
        if (response.IsToolCall)
        {
            var callId = $"call_{Interlocked.Increment(ref _toolCalls)}";
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent(callId, response.ToolName!, response.ArgumentValues())])
            {
                ModelId = ModelNames.Scripted,
            };
            yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.ToolCalls, ModelId = ModelNames.Scripted };
            yield break;
        }

        foreach (var chunk in TextChunker.Chunks(response.Text!))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, chunk) { ModelId = ModelNames.Scripted };
        }

        await Task.CompletedTask.ConfigureAwait(false);
        yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop, ModelId = ModelNames.Scripted };
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
}
