using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Support;

/// <summary>A chat client whose streaming behaviour a test writes as a function.</summary>
internal sealed class DelegateChatClient(
    Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> stream) : IChatClient
{
    public List<IReadOnlyList<ChatMessage>> Calls { get; } = [];

    public static DelegateChatClient FromChunks(params string[] chunks) =>
        new((_, _, ct) => Yield(chunks, ct));

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        lock (Calls)
        {
            Calls.Add(list);
        }

        return stream(list, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    public static async IAsyncEnumerable<ChatResponseUpdate> Yield(IEnumerable<string> chunks, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var chunk in chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, chunk);
        }
    }
}
