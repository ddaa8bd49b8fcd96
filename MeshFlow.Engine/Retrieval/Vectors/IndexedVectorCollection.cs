using System.Linq.Expressions;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Retrieval.Vectors;

/// <summary>
/// The <see cref="VectorStoreCollection{TKey, TRecord}"/> contract over a <see cref="VectorIndex"/>: reads and searches
/// go to the index a subclass provides, writes to the subclass after validation.
/// </summary>
/// <remarks>
/// Filters and orderings are compiled once per call and evaluated in memory. Reading or searching a collection that does
/// not exist yields nothing; upserting creates it.
/// </remarks>
internal abstract class IndexedVectorCollection : VectorStoreCollection<string, VectorEntry>
{
    private readonly VectorStoreCollectionMetadata _metadata;

    protected IndexedVectorCollection(string name, VectorStoreCollectionDefinition? definition, string storeSystemName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        TenantId = VectorCollectionNames.TenantOf(name);
        Definition = definition ?? VectorEntry.Definition(VectorEntry.DefaultDimensions);
        Dimensions = Definition.Properties.OfType<VectorStoreVectorProperty>().SingleOrDefault()?.Dimensions
            ?? throw new ArgumentException("the collection definition has no vector property", nameof(definition));
        _metadata = new VectorStoreCollectionMetadata { CollectionName = name, VectorStoreSystemName = storeSystemName };
    }

    public override string Name { get; }

    /// <summary>The tenant the collection's name belongs to, whose entries alone it takes; null for other names.</summary>
    protected string? TenantId { get; }

    protected VectorStoreCollectionDefinition Definition { get; }

    protected int Dimensions { get; }

    /// <summary>The collection's current index, brought up to date; null when the collection does not exist.</summary>
    protected abstract ValueTask<VectorIndex?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Writes validated entries and removes keys, creating the collection if needed.</summary>
    protected abstract Task WriteAsync(IReadOnlyList<VectorEntry> upserts, IReadOnlyList<string> deletes, CancellationToken cancellationToken);

    public override async Task<VectorEntry?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var index = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return index?.Get(key, options?.IncludeVectors ?? false);
    }

    public override async IAsyncEnumerable<VectorEntry> GetAsync(IEnumerable<string> keys, RecordRetrievalOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var index = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (index is null)
        {
            yield break;
        }

        foreach (var key in keys)
        {
            if (index.Get(key, options?.IncludeVectors ?? false) is { } entry)
            {
                yield return entry;
            }
        }
    }

    public override async IAsyncEnumerable<VectorEntry> GetAsync(Expression<Func<VectorEntry, bool>> filter, int top,
        FilteredRecordRetrievalOptions<VectorEntry>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        options ??= new FilteredRecordRetrievalOptions<VectorEntry>();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options.Skip));
        var index = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (index is null)
        {
            yield break;
        }

        IEnumerable<VectorEntry> matches = index.Where(filter.Compile(), options.IncludeVectors);
        if (options.OrderBy is { } orderBy && orderBy(new FilteredRecordRetrievalOptions<VectorEntry>.OrderByDefinition()).Values is { Count: > 0 } sorts)
        {
            IOrderedEnumerable<VectorEntry>? ordered = null;
            foreach (var sort in sorts)
            {
                var selector = sort.PropertySelector.Compile();
                ordered = (ordered, sort.Ascending) switch
                {
                    (null, true) => matches.OrderBy(selector, Comparer<object?>.Default),
                    (null, false) => matches.OrderByDescending(selector, Comparer<object?>.Default),
                    (_, true) => ordered.ThenBy(selector, Comparer<object?>.Default),
                    (_, false) => ordered.ThenByDescending(selector, Comparer<object?>.Default),
                };
            }

            matches = ordered!;
        }

        foreach (var entry in matches.Skip(options.Skip).Take(top))
        {
            yield return entry;
        }
    }

    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync([], [key], cancellationToken);
    }

    public override Task DeleteAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var distinct = keys.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 0 ? Task.CompletedTask : WriteAsync([], distinct, cancellationToken);
    }

    public override Task UpsertAsync(VectorEntry record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    public override Task UpsertAsync(IEnumerable<VectorEntry> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);

        // The last write of a key in one batch wins, as it would in separate calls.
        var latest = new Dictionary<string, VectorEntry>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            Validate(record);
            latest[record.Key] = record;
        }

        return latest.Count == 0 ? Task.CompletedTask : WriteAsync([.. latest.Values], [], cancellationToken);
    }

    public override async IAsyncEnumerable<VectorSearchResult<VectorEntry>> SearchAsync<TInput>(TInput searchValue, int top,
        VectorSearchOptions<VectorEntry>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        options ??= new VectorSearchOptions<VectorEntry>();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options.Skip));
        var (vector, model) = await SearchVectorAsync(searchValue, cancellationToken).ConfigureAwait(false);
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"the search vector has {vector.Length} dimensions; collection '{Name}' expects {Dimensions}", nameof(searchValue));
        }

        if (!IsFinite(vector.Span))
        {
            throw new ArgumentException("the search vector has a NaN or infinite value", nameof(searchValue));
        }

        var index = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (index is null)
        {
            yield break;
        }

        if (model is not null && index.EmbeddingModel is { } collectionModel && !string.Equals(model, collectionModel, StringComparison.Ordinal))
        {
            throw new VectorModelMismatchException(Name, collectionModel, index.Dimensions, model, vector.Length);
        }

        var filter = options.Filter?.Compile();
        var results = index.Search(vector.Span, options.Skip + top, filter, options.ScoreThreshold, options.IncludeVectors);
        foreach (var (entry, score) in results.Skip(options.Skip))
        {
            yield return new VectorSearchResult<VectorEntry>(entry, score);
        }
    }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Throws when an existing collection's dimensions are not the ones this collection was opened with.</summary>
    protected void CheckDimensions(string? collectionModel, int collectionDimensions)
    {
        if (collectionDimensions != Dimensions)
        {
            throw new VectorModelMismatchException(Name, collectionModel ?? "(none yet)", collectionDimensions, "(this collection definition)", Dimensions);
        }
    }

    private void Validate(VectorEntry record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrEmpty(record.Key))
        {
            throw new ArgumentException($"a vector entry of collection '{Name}' has no Key", nameof(record));
        }

        if (string.IsNullOrEmpty(record.EmbeddingModel))
        {
            throw new ArgumentException($"vector entry '{record.Key}' has no EmbeddingModel: the model that made the vector is stored with it", nameof(record));
        }

        if (record.Vector.Length != Dimensions)
        {
            throw new ArgumentException(
                $"vector entry '{record.Key}' has a Vector of {record.Vector.Length} dimensions; collection '{Name}' expects {Dimensions}", nameof(record));
        }

        if (!IsFinite(record.Vector.Span))
        {
            throw new ArgumentException($"vector entry '{record.Key}' has a Vector with a NaN or infinite value", nameof(record));
        }

        if (TenantId is not null && !string.Equals(record.TenantId, TenantId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"vector entry '{record.Key}' has a TenantId other than the tenant of collection '{Name}'", nameof(record));
        }
    }

    // MaxMagnitude is NaN when any component is.
    private static bool IsFinite(ReadOnlySpan<float> vector) => float.IsFinite(TensorPrimitives.MaxMagnitude(vector));

    private async ValueTask<(ReadOnlyMemory<float> Vector, string? Model)> SearchVectorAsync<TInput>(TInput searchValue, CancellationToken cancellationToken)
        where TInput : notnull
    {
        switch (searchValue)
        {
            case ReadOnlyMemory<float> memory:
                return (memory, null);
            case float[] array:
                return (array, null);
            case Embedding<float> embedding:
                return (embedding.Vector, embedding.ModelId);
            case string text when EmbeddingGenerator() is { } generator:
                var generated = await generator.GenerateAsync(text, cancellationToken: cancellationToken).ConfigureAwait(false);
                return (generated.Vector, generated.ModelId);
            case string:
                throw new NotSupportedException(
                    $"collection '{Name}' was opened without an embedding generator, so it cannot search by text: embed the query and search with its vector");
            default:
                throw new NotSupportedException(
                    $"collection '{Name}' searches with a ReadOnlyMemory<float>, float[] or Embedding<float> (or a string when its definition has an embedding generator), not {typeof(TInput).Name}");
        }
    }

    private IEmbeddingGenerator<string, Embedding<float>>? EmbeddingGenerator() =>
        (Definition.Properties.OfType<VectorStoreVectorProperty>().Single().EmbeddingGenerator ?? Definition.EmbeddingGenerator)
            as IEmbeddingGenerator<string, Embedding<float>>;
}
