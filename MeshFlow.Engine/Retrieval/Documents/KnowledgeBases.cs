using System.Collections.Concurrent;
using MeshFlow.Retrieval.Embeddings;
using MeshFlow.Retrieval.Vectors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Retrieval.Documents;

/// <summary>
/// A tenant's knowledge bases: named sets of documents, cut into chunks (<see cref="KnowledgeBaseOptions.Chunker"/>),
/// embedded, kept in the engine's vector store (one collection per tenant and knowledge base,
/// <see cref="VectorCollectionNames.Knowledge"/>) and retrieved by meaning, by words (BM25) or by both fused.
/// </summary>
/// <remarks>
/// <para>Tenants never see each other's knowledge bases: a name is looked up in the asking tenant's collections only,
/// and every chunk also carries its tenant id, which every search filters on.</para>
/// <para>Vectors come from the engine's embedder; with none configured, a knowledge base embeds with TF-IDF fitted on its
/// own chunks, refitted and re-embedded whole on every change (cheap for TF-IDF), so the query's vector always comes
/// from the fit its chunks were embedded with, in any process. A knowledge base holds vectors of one embedding model:
/// ingesting or searching with another is refused (<see cref="VectorModelMismatchException"/>, naming both) until
/// <see cref="ReembedAsync"/>.</para>
/// <para>BM25 runs on an in-memory Lucene index per knowledge base, built from the collection's chunks. Each retrieval
/// reads the chunks' keys through the vector-store contract and rebuilds the index when their fingerprint changed,
/// so a document ingested or deleted by another worker on the same durable store is searched by words as soon as by
/// meaning.</para>
/// </remarks>
public sealed partial class KnowledgeBases
{
    private readonly VectorStore _vectors;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embeddings;
    private readonly KnowledgeBaseOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, KnowledgeSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _writers = new(StringComparer.Ordinal);
    private readonly Lock _identityLock = new();
    private Task<(string Model, int Dimensions)>? _embedderIdentity;

    /// <summary>Creates the knowledge bases of a vector store.</summary>
    /// <param name="vectors">Where chunks and their vectors are kept.</param>
    /// <param name="embeddings">
    /// The embedder; null, or a <see cref="TfIdfEmbeddingGenerator"/>, embeds each knowledge base with TF-IDF fitted on its own chunks.
    /// </param>
    /// <param name="options">Chunking and ranking; null for the defaults.</param>
    /// <param name="timeProvider">The clock of the chunks' creation times; null for the system clock.</param>
    public KnowledgeBases(VectorStore vectors, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
        KnowledgeBaseOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        _vectors = vectors;
        // A TF-IDF embedder shared by the engine is unfitted (every IDF 1); each knowledge base fits its own instead.
        _embeddings = embeddings is TfIdfEmbeddingGenerator ? null : embeddings;
        _options = options ?? new KnowledgeBaseOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Chunks, embeds and indexes documents into the tenant's knowledge base <paramref name="name"/>, creating it if
    /// needed. A document whose id the knowledge base already has replaces it.
    /// </summary>
    /// <returns>Each document's id and its chunks' ids, in the order given.</returns>
    /// <exception cref="ArgumentException">The name is not valid, or a document has no text, an invalid id or an id twice.</exception>
    /// <exception cref="VectorModelMismatchException">The knowledge base holds vectors of another embedding model.</exception>
    public async Task<IReadOnlyList<IngestedDocument>> IngestAsync(string tenantId, string name, IReadOnlyList<KnowledgeDocument> documents,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var collectionName = CollectionName(tenantId, name);
        var prepared = Prepare(documents);

        var writer = _writers.GetOrAdd(collectionName, static _ => new SemaphoreSlim(1, 1));
        await writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (model, dimensions) = await IdentityAsync(cancellationToken).ConfigureAwait(false);
            var collection = _vectors.GetCollection<string, VectorEntry>(collectionName, VectorEntry.Definition(dimensions));
            var snapshot = await ReadAsync(collection, tenantId, model, dimensions, cancellationToken).ConfigureAwait(false);
            if (snapshot.Model is { } stored && !string.Equals(stored, model, StringComparison.Ordinal))
            {
                throw new VectorModelMismatchException(collectionName, stored, snapshot.Dimensions, model, dimensions);
            }

            await collection.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
            var now = _timeProvider.GetUtcNow();
            var added = new List<KnowledgeChunk>();
            var ingested = new List<IngestedDocument>(prepared.Count);
            foreach (var (id, document) in prepared)
            {
                var chunks = _options.Chunker.Chunk(document.Text);
                var keys = new List<string>(chunks.Count);
                foreach (var chunk in chunks)
                {
                    var key = KnowledgeEntries.Key(id, chunk.Position);
                    keys.Add(key);
                    added.Add(new KnowledgeChunk(key, id, document.Source, chunk.Position, chunk.Text, document.Metadata, model, now));
                }

                ingested.Add(new IngestedDocument(id, keys));
            }

            var replaced = prepared.Select(document => document.Id).ToHashSet(StringComparer.Ordinal);
            await WriteAsync(collection, tenantId, snapshot, added, replaced, cancellationToken).ConfigureAwait(false);
            return ingested;
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>The <paramref name="topK"/> chunks of the tenant's knowledge base <paramref name="name"/> that best match a query.</summary>
    /// <param name="tenantId">The tenant asking.</param>
    /// <param name="name">The knowledge base.</param>
    /// <param name="query">Free text; never read as query syntax.</param>
    /// <param name="topK">How many chunks at most.</param>
    /// <param name="filter">Equality that every chunk returned meets: the key <c>source</c> on the document's source, others on its metadata.</param>
    /// <param name="mode">The ranking; null for <see cref="KnowledgeBaseOptions.DefaultMode"/>.</param>
    /// <param name="cancellationToken">Cancels the retrieval.</param>
    /// <returns>The chunks, best first.</returns>
    /// <exception cref="KnowledgeBaseNotFoundException">The tenant has no knowledge base of that name.</exception>
    /// <exception cref="VectorModelMismatchException">A vector or hybrid retrieval, and the knowledge base holds vectors of another model.</exception>
    public async Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(string tenantId, string name, string query, int topK,
        IReadOnlyDictionary<string, string>? filter = null, RetrievalMode? mode = null, CancellationToken cancellationToken = default)
    {
        var collectionName = CollectionName(tenantId, name);
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        mode ??= _options.DefaultMode;
        if (!Enum.IsDefined(mode.Value))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a retrieval mode");
        }

        var (model, dimensions) = await IdentityAsync(cancellationToken).ConfigureAwait(false);
        var (collection, snapshot) = await OpenAsync(tenantId, name, model, dimensions, cancellationToken).ConfigureAwait(false);
        if (snapshot.Chunks.Count == 0)
        {
            return [];
        }

        if (mode == RetrievalMode.Keyword)
        {
            return [.. snapshot.Keywords.Search(query, filter, topK).Select(hit => KnowledgeEntries.ToRetrieved(snapshot.Chunks[hit.Key], hit.Score))];
        }

        if (snapshot.Model is { } stored && !string.Equals(stored, model, StringComparison.Ordinal))
        {
            throw new VectorModelMismatchException(collectionName, stored, snapshot.Dimensions, model, dimensions);
        }

        var embedder = _embeddings ?? snapshot.TfIdf;
        var vector = (await embedder.GenerateAsync([query], EmbeddingInputType.ForQuery(), cancellationToken).ConfigureAwait(false))[0].Vector;
        if (mode == RetrievalMode.Vector)
        {
            var hits = await SearchVectorsAsync(collection, tenantId, vector, topK, filter, cancellationToken).ConfigureAwait(false);
            return [.. hits.Select(hit => KnowledgeEntries.ToRetrieved(hit.Chunk, hit.Score))];
        }

        var depth = Math.Max(topK, _options.FusionDepth);
        var byVector = await SearchVectorsAsync(collection, tenantId, vector, depth, filter, cancellationToken).ConfigureAwait(false);
        var byWords = snapshot.Keywords.Search(query, filter, depth);
        var chunks = new Dictionary<string, KnowledgeChunk>(StringComparer.Ordinal);
        foreach (var (chunk, _) in byVector)
        {
            chunks[chunk.Key] = chunk;
        }

        foreach (var (key, _) in byWords)
        {
            chunks.TryAdd(key, snapshot.Chunks[key]);
        }

        var fused = RankFusion.Fuse([.. byVector.Select(hit => hit.Chunk.Key)], [.. byWords.Select(hit => hit.Key)]);
        return [.. fused.Take(topK).Select(hit => KnowledgeEntries.ToRetrieved(chunks[hit.Key], hit.Score))];
    }

    /// <summary>Deletes a document's chunks from the tenant's knowledge base.</summary>
    /// <returns>Whether the knowledge base had the document.</returns>
    /// <exception cref="KnowledgeBaseNotFoundException">The tenant has no knowledge base of that name.</exception>
    public async Task<bool> DeleteDocumentAsync(string tenantId, string name, string documentId, CancellationToken cancellationToken = default)
    {
        var collectionName = CollectionName(tenantId, name);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var writer = _writers.GetOrAdd(collectionName, static _ => new SemaphoreSlim(1, 1));
        await writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (model, dimensions) = await IdentityAsync(cancellationToken).ConfigureAwait(false);
            var (collection, snapshot) = await OpenAsync(tenantId, name, model, dimensions, cancellationToken).ConfigureAwait(false);
            if (!snapshot.Chunks.Values.Any(chunk => string.Equals(chunk.DocumentId, documentId, StringComparison.Ordinal)))
            {
                return false;
            }

            await WriteAsync(collection, tenantId, snapshot, [], new HashSet<string>([documentId], StringComparer.Ordinal), cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>Whether the tenant has a knowledge base of that name.</summary>
    public Task<bool> ExistsAsync(string tenantId, string name, CancellationToken cancellationToken = default) =>
        _vectors.CollectionExistsAsync(CollectionName(tenantId, name), cancellationToken);

    /// <summary>The names of the tenant's knowledge bases, in ordinal order.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var names = new List<string>();
        await foreach (var collection in _vectors.ListCollectionNamesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(VectorCollectionNames.TenantOf(collection), tenantId, StringComparison.Ordinal)
                && VectorCollectionNames.KnowledgeBaseOf(collection) is { } knowledgeBase)
            {
                names.Add(knowledgeBase);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// Embeds every chunk of the tenant's knowledge base again with the current embedder (replacing the collection,
    /// so its dimensions may change); the way back from a <see cref="VectorModelMismatchException"/>.
    /// </summary>
    /// <returns>The number of chunks embedded.</returns>
    /// <exception cref="KnowledgeBaseNotFoundException">The tenant has no knowledge base of that name.</exception>
    public async Task<int> ReembedAsync(string tenantId, string name, CancellationToken cancellationToken = default)
    {
        var collectionName = CollectionName(tenantId, name);
        var writer = _writers.GetOrAdd(collectionName, static _ => new SemaphoreSlim(1, 1));
        await writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (model, dimensions) = await IdentityAsync(cancellationToken).ConfigureAwait(false);
            var (stored, snapshot) = await OpenAsync(tenantId, name, model, dimensions, cancellationToken).ConfigureAwait(false);
            var chunks = snapshot.Chunks.Values.OrderBy(chunk => chunk.Key, StringComparer.Ordinal).ToList();
            var entries = await EmbedAsync(tenantId, chunks, chunks, model, cancellationToken).ConfigureAwait(false);

            // The collection is made anew: its dimensions are fixed when it is created.
            await stored.EnsureCollectionDeletedAsync(cancellationToken).ConfigureAwait(false);
            var collection = _vectors.GetCollection<string, VectorEntry>(collectionName, VectorEntry.Definition(dimensions));
            await collection.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
            if (entries.Count > 0)
            {
                await collection.UpsertAsync(entries, cancellationToken).ConfigureAwait(false);
            }

            _snapshots.TryRemove(collectionName, out _);
            return entries.Count;
        }
        finally
        {
            writer.Release();
        }
    }
}
