using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Retrieval.Vectors;

/// <summary>
/// A durable vector store in the ledger's database (SQLite or Postgres, through <see cref="IVectorEntryStore"/>), searched
/// exactly in memory: each collection is cached as an in-memory index, brought up to date before every read.
/// </summary>
/// <remarks>
/// Before a read or a search, the store asks the database for the collection's version (one indexed query) and, when it
/// moved, reads only the rows written since its cached version. So a write made through another store instance (another
/// worker) is visible to the next search here, and an erased entry is never served from the cache. Writes go to the
/// database alone, in one transaction per call; the cache catches up on the next read. Holds <see cref="VectorEntry"/>
/// records keyed by string; similarity is cosine (higher is better).
/// </remarks>
public sealed class LedgerVectorStore : VectorStore
{
    private const string SystemName = "meshflow-ledger";

    private readonly ConcurrentDictionary<string, CachedCollection> _cache = new(StringComparer.Ordinal);
    private readonly VectorStoreMetadata _metadata = new() { VectorStoreSystemName = SystemName };

    /// <summary>Creates a store over the ledger's database; the caller owns <paramref name="store"/>.</summary>
    public LedgerVectorStore(IVectorEntryStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
    }

    /// <summary>Where the vectors live.</summary>
    public IVectorEntryStore Store { get; }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">The record type is not <see cref="VectorEntry"/> or the key not a string.</exception>
    public override VectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        VectorStoreRecordTypes.Require<TKey, TRecord>(nameof(LedgerVectorStore));
        return (VectorStoreCollection<TKey, TRecord>)(object)new Collection(this, name, definition);
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: the store holds <see cref="VectorEntry"/> records only.</exception>
    public override VectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition) =>
        throw VectorStoreRecordTypes.NoDynamicCollections(nameof(LedgerVectorStore));

    /// <inheritdoc/>
    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var name in await Store.ListVectorCollectionsAsync(null, cancellationToken).ConfigureAwait(false))
        {
            yield return name;
        }
    }

    /// <inheritdoc/>
    public override async Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return await Store.ReadVectorCollectionAsync(VectorWrites.TenantOf(name), name, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public override async Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await Store.DeleteVectorCollectionAsync(VectorWrites.TenantOf(name), name, cancellationToken).ConfigureAwait(false);
        _cache.TryRemove(name, out _);
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        VectorStoreRecordTypes.Service(this, _metadata, serviceType, serviceKey);

    /// <summary>The cached index of a collection, brought up to the database's version; null when the collection does not exist.</summary>
    internal async ValueTask<VectorIndex?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var info = await Store.ReadVectorCollectionAsync(VectorWrites.TenantOf(name), name, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            _cache.TryRemove(name, out _);
            return null;
        }

        var cached = _cache.AddOrUpdate(name,
            static (_, info) => new CachedCollection(info),
            static (_, existing, info) => existing.Id == info.Id ? existing : new CachedCollection(info), info);
        var index = cached.Index;
        if (index.Version >= info.Version)
        {
            return index;
        }

        // One reader catches the cache up; the others wait for it rather than read the same rows.
        await cached.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (index.Version < info.Version)
            {
                var changes = await Store.ReadVectorChangesAsync(info.TenantId, info.Id, index.Version, cancellationToken).ConfigureAwait(false);
                index.Apply(changes.Upserts, changes.Deletes, info.EmbeddingModel);
                index.Version = Math.Max(changes.Version, info.Version);
            }
        }
        finally
        {
            cached.Gate.Release();
        }

        return index;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var cached in _cache.Values)
            {
                cached.Index.Dispose();
            }

            _cache.Clear();
        }

        base.Dispose(disposing);
    }

    private sealed class CachedCollection(VectorCollectionInfo info)
    {
        public long Id { get; } = info.Id;

        public VectorIndex Index { get; } = new(info.Name, info.Dimensions, info.EmbeddingModel);

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    private sealed class Collection(LedgerVectorStore store, string name, VectorStoreCollectionDefinition? definition)
        : IndexedVectorCollection(name, definition, SystemName)
    {
        private string Tenant => VectorWrites.TenantOf(Name);

        public override async Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) =>
            await store.Store.ReadVectorCollectionAsync(Tenant, Name, cancellationToken).ConfigureAwait(false) is not null;

        public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) =>
            store.Store.CreateVectorCollectionAsync(Tenant, Name, Dimensions, cancellationToken);

        public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) =>
            store.EnsureCollectionDeletedAsync(Name, cancellationToken);

        protected override async ValueTask<VectorIndex?> ReadAsync(CancellationToken cancellationToken)
        {
            var index = await store.ReadAsync(Name, cancellationToken).ConfigureAwait(false);
            if (index is not null)
            {
                CheckDimensions(index.EmbeddingModel, index.Dimensions);
            }

            return index;
        }

        protected override Task WriteAsync(IReadOnlyList<VectorEntry> upserts, IReadOnlyList<string> deletes, CancellationToken cancellationToken) =>
            store.Store.WriteVectorsAsync(Tenant, Name, Dimensions, upserts, deletes, cancellationToken);
    }
}
