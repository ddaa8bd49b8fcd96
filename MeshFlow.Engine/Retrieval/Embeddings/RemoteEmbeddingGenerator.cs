using MeshFlow.Agents;
using MeshFlow.Agents.Providers;
using Microsoft.Extensions.AI;
using Polly;

namespace MeshFlow.Retrieval.Embeddings;

/// <summary>
/// A provider's embedding client as MeshFlow calls it: inputs split into batches within the provider's limits (a
/// count, and an estimate of tokens), each batch sent through the connection's retries and circuit breaker, every
/// failure an <see cref="LlmProviderException"/> naming the connection and the model with the keys masked, and
/// metadata that names the provider, the model and (once known) the dimension.
/// </summary>
internal sealed class RemoteEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _inner;
    private readonly LlmConnection _connection;
    private readonly string _model;
    private readonly IProviderErrors? _errors;
    private readonly IReadOnlyList<string> _secrets;
    private readonly ResiliencePipeline _resilience;
    private volatile EmbeddingGeneratorMetadata _metadata;

    public RemoteEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, LlmConnection connection, string model,
        IProviderErrors? errors, IReadOnlyList<string> secrets, ResiliencePipeline resilience, EmbeddingBatchLimits limits)
    {
        _inner = inner;
        _connection = connection;
        _model = model;
        _errors = errors;
        _secrets = secrets;
        _resilience = resilience;
        Limits = limits;
        _metadata = Metadata(EmbeddingModels.DimensionsOf(model));
    }

    public EmbeddingBatchLimits Limits { get; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToArray();
        if (Array.IndexOf(texts, null) is var missing and >= 0)
        {
            throw new ArgumentException($"the text at index {missing} is null", nameof(values));
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        UsageDetails? usage = null;
        foreach (var batch in Limits.Split(texts))
        {
            var embeddings = await _resilience.ExecuteAsync(async token =>
            {
                try
                {
                    return await _inner.GenerateAsync(batch, options, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ProviderErrorClient.Translate(ex, _connection, _model, _errors, _secrets, token) is { } error)
                {
                    throw error;
                }
            }, cancellationToken).ConfigureAwait(false);

            if (embeddings.Count != batch.Length)
            {
                throw new LlmProviderException(_connection.ConfigurationName, _model, null,
                    $"the provider behind '{_connection.ConfigurationName}' ({_connection.Provider}) returned {embeddings.Count} embeddings " +
                    $"for {batch.Length} texts of model '{_model}'", transient: false);
            }

            foreach (var embedding in embeddings)
            {
                embedding.ModelId ??= _model;
                result.Add(embedding);
            }

            if (embeddings.Usage is { } batchUsage)
            {
                usage ??= new UsageDetails();
                usage.Add(batchUsage);
            }
        }

        result.Usage = usage;
        if (_metadata.DefaultModelDimensions is null && result.Count > 0)
        {
            _metadata = Metadata(result[0].Vector.Length);
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _inner.GetService(serviceType, serviceKey);
    }

    public void Dispose() => _inner.Dispose();

    private EmbeddingGeneratorMetadata Metadata(int? dimensions) =>
        new(_connection.Provider, _connection.Endpoint, _model, dimensions);
}
