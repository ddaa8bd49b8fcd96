using Microsoft.Extensions.AI;

namespace MeshFlow.Benchmarks;

/// <summary>
/// A model that answers instantly: a fixed number of one-word chunks, completed synchronously, then the
/// provider's usage report (so no tokenizer runs). What remains to measure is the engine.
/// </summary>
internal sealed class ZeroLatencyChatClient : IChatClient
{
    private readonly ChatResponseUpdate[] _updates;

    public ZeroLatencyChatClient(int tokens)
    {
        _updates = new ChatResponseUpdate[tokens + 1];
        for (var i = 0; i < tokens; i++)
        {
            _updates[i] = new ChatResponseUpdate(ChatRole.Assistant, "tok ");
        }

        _updates[tokens] = new ChatResponseUpdate
        {
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = tokens })],
        };
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _updates.ToAsyncEnumerable().ToChatResponseAsync(cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        new SyncStream(_updates);

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private sealed class SyncStream(ChatResponseUpdate[] updates) : IAsyncEnumerable<ChatResponseUpdate>
    {
        public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(updates);

        private sealed class Enumerator(ChatResponseUpdate[] updates) : IAsyncEnumerator<ChatResponseUpdate>
        {
            private int _index = -1;

            public ChatResponseUpdate Current => updates[_index];

            public ValueTask<bool> MoveNextAsync() => ValueTask.FromResult(++_index < updates.Length);

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
