using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Retrieval.Vectors;

/// <summary>
/// A vector store in this process's memory: each collection is one contiguous buffer of unit vectors searched exactly
/// (cosine similarity, higher is better) with SIMD dot products. Holds <see cref="VectorEntry"/> records keyed by string.
/// </summary>
/// <remarks>
/// Nothing survives the process; the durable store keeps its vectors in the ledger's database. A collection is created by
/// <c>EnsureCollectionExistsAsync</c> or its first upsert; its dimensions are fixed then, and its embedding model by the
/// first entry written (<see cref="VectorModelMismatchException"/> for another).
/// </remarks>
public sealed class InMemoryVectorStore : VectorStore
{
    private const string SystemName = "meshflow-in-memory";

    private readonly ConcurrentDictionary<string, VectorIndex> _collections = new(StringComparer.Ordinal);
    private readonly VectorStoreMetadata _metadata = new() { VectorStoreSystemName = SystemName };

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">The record type is not <see cref="VectorEntry"/> or the key not a string.</exception>
    public override VectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        VectorStoreRecordTypes.Require<TKey, TRecord>(nameof(InMemoryVectorStore));
        return (VectorStoreCollection<TKey, TRecord>)(object)new Collection(this, name, definition);
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: the store holds <see cref="VectorEntry"/> records only.</exception>
    public override VectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition) =>
        throw VectorStoreRecordTypes.NoDynamicCollections(nameof(InMemoryVectorStore));

    /// <inheritdoc/>
    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var name in _collections.Keys.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return name;
        }
    }

    /// <inheritdoc/>
    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Task.FromResult(_collections.ContainsKey(name));
    }

    /// <inheritdoc/>
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);

        // Not disposed: a search may still be reading it; it goes with its last reader.
        _collections.TryRemove(name, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var index in _collections.Values)
            {
                index.Dispose();
            }

            _collections.Clear();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        VectorStoreRecordTypes.Service(this, _metadata, serviceType, serviceKey);

    private sealed class Collection(InMemoryVectorStore store, string name, VectorStoreCollectionDefinition? definition)
        : IndexedVectorCollection(name, definition, SystemName)
    {
        public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(store._collections.ContainsKey(Name));

        public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
        {
            var index = store._collections.GetOrAdd(Name, static (name, dimensions) => new VectorIndex(name, dimensions), Dimensions);
            CheckDimensions(index.EmbeddingModel, index.Dimensions);
            return Task.CompletedTask;
        }

        public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) =>
            store.EnsureCollectionDeletedAsync(Name, cancellationToken);

        protected override ValueTask<VectorIndex?> ReadAsync(CancellationToken cancellationToken)
        {
            if (!store._collections.TryGetValue(Name, out var index))
            {
                return ValueTask.FromResult<VectorIndex?>(null);
            }

            CheckDimensions(index.EmbeddingModel, index.Dimensions);
            return ValueTask.FromResult<VectorIndex?>(index);
        }

        protected override Task WriteAsync(IReadOnlyList<VectorEntry> upserts, IReadOnlyList<string> deletes, CancellationToken cancellationToken)
        {
            VectorIndex? index;
            if (upserts.Count > 0)
            {
                index = store._collections.GetOrAdd(Name, static (name, dimensions) => new VectorIndex(name, dimensions), Dimensions);
            }
            else if (!store._collections.TryGetValue(Name, out index))
            {
                return Task.CompletedTask;
            }

            CheckDimensions(index.EmbeddingModel, index.Dimensions);
            index.Apply(upserts, [.. deletes]);
            return Task.CompletedTask;
        }
    }
}
