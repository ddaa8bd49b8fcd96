using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents;

/// <summary>
/// The built-in <c>scripted</c> model: answers each call with the next of its responses, in order, streamed word
/// by word. Asking past the last response is an error that names how many there were.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private static readonly ChatClientMetadata Metadata = new("meshflow-scripted", null, ModelNames.Scripted);
    private readonly IReadOnlyList<string> _responses;
    private int _next;

    /// <summary>Creates a client that replays <paramref name="responses"/>.</summary>
    public ScriptedChatClient(IReadOnlyList<string> responses, string? owner = null)
    {
        ArgumentNullException.ThrowIfNull(responses);
        _responses = responses;
        Owner = owner;
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

        foreach (var chunk in TextChunker.Chunks(_responses[index]))
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
