using MeshFlow.Retrieval.Embeddings;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Retrieval.Documents;

// An embedder that records the input type of every call and can fail its first calls, as a provider that is not up
// yet does. Its vectors count letters, so texts sharing words are near each other.
internal sealed class RecordingEmbeddingGenerator(int failures = 0) : IEmbeddingGenerator<string, Embedding<float>>
{
    private const int Dimensions = 26;
    private readonly EmbeddingGeneratorMetadata _metadata = new("recording", defaultModelId: "recording-26");
    private int _failuresLeft = failures;

    public List<(string? InputType, IReadOnlyList<string> Texts)> Calls { get; } = [];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var texts = values.ToList();
        lock (Calls)
        {
            Calls.Add((EmbeddingInputType.Of(options), texts));
        }

        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new HttpRequestException("connection refused");
        }

        var embeddings = texts.Select(text =>
        {
            var vector = new float[Dimensions];
            foreach (var c in text.ToLowerInvariant().Where(char.IsAsciiLetterLower))
            {
                vector[c - 'a']++;
            }

            return new Embedding<float>(vector) { ModelId = "recording-26" };
        });
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    public void Dispose()
    {
    }
}
