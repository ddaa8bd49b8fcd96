using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace MeshFlow.Retrieval.Embeddings;

/// <summary>
/// The model-free embedder: TF-IDF over lowercase Unicode word tokens (letters and digits, a light plural stemmer,
/// common English function words dropped), hashed into a fixed number of signed features so every vector has the
/// same shape whatever the corpus. Deterministic, offline, and free; it matches words, not meanings, so a paraphrase
/// with no shared word scores near zero.
/// </summary>
/// <remarks>
/// Until <see cref="Fit"/> is called every term weighs the same (IDF 1). <see cref="Fit"/> learns inverse document
/// frequencies from a corpus (the store's own texts); vectors made before and after a refit are not comparable, so
/// a refit needs a re-embed of what was stored (a knowledge base's <c>ReembedAsync</c>). The model id
/// (<c>tfidf-&lt;dimensions&gt;</c>) names the shape, not the fit. Thread-safe: a fit replaces the weights at once.
/// </remarks>
public sealed class TfIdfEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The number of hashed features unless the constructor says otherwise.</summary>
    public const int DefaultDimensions = 1024;

    private readonly EmbeddingGeneratorMetadata _metadata;
    private volatile float[]? _idf;

    /// <summary>Creates an unfitted generator.</summary>
    /// <param name="dimensions">The number of hashed features (64 to 65,536).</param>
    public TfIdfEmbeddingGenerator(int dimensions = DefaultDimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 64);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, 65_536);
        Dimensions = dimensions;
        ModelId = $"tfidf-{dimensions}";
        _metadata = new EmbeddingGeneratorMetadata("meshflow-tfidf", defaultModelId: ModelId, defaultModelDimensions: dimensions);
    }

    /// <summary>The model id stored with every vector: <c>tfidf-&lt;dimensions&gt;</c>.</summary>
    public string ModelId { get; }

    /// <summary>The vectors' dimension.</summary>
    public int Dimensions { get; }

    /// <summary>The number of documents of the last <see cref="Fit"/>; 0 when unfitted.</summary>
    public int FittedDocuments { get; private set; }

    /// <summary>
    /// Learns inverse document frequencies from <paramref name="corpus"/> (smoothed: <c>ln((1 + n) / (1 + df)) + 1</c>),
    /// replacing any earlier fit. Vectors made before it must be made again to compare with those made after.
    /// </summary>
    public void Fit(IEnumerable<string> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var frequency = new int[Dimensions];
        var seen = new HashSet<int>();
        var documents = 0;
        foreach (var document in corpus)
        {
            ArgumentNullException.ThrowIfNull(document, nameof(corpus));
            documents++;
            seen.Clear();
            foreach (var term in WordTokens.Terms(document))
            {
                var index = Bucket(term).Index;
                if (seen.Add(index))
                {
                    frequency[index]++;
                }
            }
        }

        var idf = new float[Dimensions];
        for (var i = 0; i < idf.Length; i++)
        {
            idf[i] = (float)(Math.Log((1.0 + documents) / (1.0 + frequency[i])) + 1.0);
        }

        _idf = idf;
        FittedDocuments = documents;
    }

    /// <summary>The vector of one text (all zeros when it has no word).</summary>
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var idf = _idf;
        var counts = new Dictionary<int, (int Count, float Sign)>();
        foreach (var term in WordTokens.Terms(text))
        {
            var (index, sign) = Bucket(term);
            counts[index] = counts.TryGetValue(index, out var entry) ? (entry.Count + 1, entry.Sign) : (1, sign);
        }

        var vector = new float[Dimensions];
        foreach (var (index, (count, sign)) in counts)
        {
            // Sublinear term frequency: the tenth repeat of a word says less than the first.
            vector[index] += sign * (1f + MathF.Log(count)) * (idf?[index] ?? 1f);
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var created = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result.Add(new Embedding<float>(Embed(value)) { ModelId = ModelId, CreatedAt = created });
        }

        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    // A term's feature and sign from a stable hash (FNV-1a over its UTF-16 code units; string.GetHashCode changes
    // per process). The sign keeps colliding terms from adding up to a false match.
    private (int Index, float Sign) Bucket(string term)
    {
        var hash = 2166136261u;
        foreach (var c in term)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return ((int)(hash % (uint)Dimensions), (hash & 0x8000_0000u) == 0 ? 1f : -1f);
    }
}
