using MeshFlow.Retrieval.Embeddings;
using MeshFlow.Retrieval.Vectors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Retrieval.Documents;

// Reading, writing and searching a knowledge base's collection through the vector-store contract.
public sealed partial class KnowledgeBases
{
    private static string CollectionName(string tenantId, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        KnowledgeBaseNames.Validate(name);
        return VectorCollectionNames.Knowledge(tenantId, name);
    }

    private static List<(string Id, KnowledgeDocument Document)> Prepare(IReadOnlyList<KnowledgeDocument> documents)
    {
        var prepared = new List<(string, KnowledgeDocument)>(documents.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i] ?? throw new ArgumentException($"documents[{i}] is null", nameof(documents));
            if (document.Text is null)
            {
                throw new ArgumentException($"documents[{i}].Text is null", nameof(documents));
            }

            var id = document.Id ?? KnowledgeEntries.DocumentIdFor(document.Text);
            if (id.Length is 0 or > KnowledgeEntries.MaxDocumentIdLength || id.Any(char.IsControl))
            {
                throw new ArgumentException(
                    $"documents[{i}].Id is 1 to {KnowledgeEntries.MaxDocumentIdLength} characters without control characters", nameof(documents));
            }

            if (!ids.Add(id))
            {
                throw new ArgumentException($"documents[{i}].Id '{id}' is given twice", nameof(documents));
            }

            if (document.Metadata?.Keys.FirstOrDefault(key => string.IsNullOrEmpty(key)) is not null)
            {
                throw new ArgumentException($"documents[{i}].Metadata has an empty key", nameof(documents));
            }

            prepared.Add((id, document));
        }

        return prepared;
    }

    // The collection and its current snapshot; when the collection was made for other dimensions, it is opened with
    // its own, so that keyword retrieval and re-embedding still work.
    private async Task<(VectorStoreCollection<string, VectorEntry> Collection, KnowledgeSnapshot Snapshot)> OpenAsync(string tenantId, string name,
        string model, int dimensions, CancellationToken cancellationToken)
    {
        var collectionName = VectorCollectionNames.Knowledge(tenantId, name);
        if (!await _vectors.CollectionExistsAsync(collectionName, cancellationToken).ConfigureAwait(false))
        {
            throw new KnowledgeBaseNotFoundException(tenantId, name);
        }

        var collection = _vectors.GetCollection<string, VectorEntry>(collectionName, VectorEntry.Definition(dimensions));
        try
        {
            return (collection, await ReadAsync(collection, tenantId, model, dimensions, cancellationToken).ConfigureAwait(false));
        }
        catch (VectorModelMismatchException mismatch) when (mismatch.CollectionDimensions != dimensions)
        {
            collection = _vectors.GetCollection<string, VectorEntry>(collectionName, VectorEntry.Definition(mismatch.CollectionDimensions));
            return (collection, await ReadAsync(collection, tenantId, model, mismatch.CollectionDimensions, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task<KnowledgeSnapshot> ReadAsync(VectorStoreCollection<string, VectorEntry> collection, string tenantId, string model, int dimensions,
        CancellationToken cancellationToken)
    {
        var entries = new List<VectorEntry>();
        try
        {
            await foreach (var entry in collection.GetAsync(entry => entry.TenantId == tenantId, int.MaxValue,
                new FilteredRecordRetrievalOptions<VectorEntry> { IncludeVectors = false }, cancellationToken).ConfigureAwait(false))
            {
                entries.Add(entry);
            }
        }
        catch (VectorModelMismatchException mismatch)
        {
            // The store names the collection definition it was opened with; the caller's model is the one to name.
            throw new VectorModelMismatchException(collection.Name, mismatch.CollectionModel, mismatch.CollectionDimensions, model, dimensions);
        }

        var fingerprint = KnowledgeFingerprint.Of(entries);
        if (_snapshots.TryGetValue(collection.Name, out var cached) && cached.Fingerprint == fingerprint && cached.Dimensions == dimensions)
        {
            return cached;
        }

        var snapshot = new KnowledgeSnapshot(fingerprint, dimensions, entries);
        _snapshots[collection.Name] = snapshot;
        return snapshot;
    }

    // Writes added chunks and removes the chunks of replaced documents that the added ones do not overwrite. With
    // TF-IDF, every chunk kept is embedded again with the new fit.
    private async Task WriteAsync(VectorStoreCollection<string, VectorEntry> collection, string tenantId, KnowledgeSnapshot snapshot,
        IReadOnlyList<KnowledgeChunk> added, HashSet<string> replacedDocuments, CancellationToken cancellationToken)
    {
        var kept = snapshot.Chunks.Values.Where(chunk => !replacedDocuments.Contains(chunk.DocumentId)).ToList();
        var addedKeys = added.Select(chunk => chunk.Key).ToHashSet(StringComparer.Ordinal);
        var stale = snapshot.Chunks.Values
            .Where(chunk => replacedDocuments.Contains(chunk.DocumentId) && !addedKeys.Contains(chunk.Key))
            .Select(chunk => chunk.Key)
            .ToList();

        var corpus = kept.Concat(added).ToList();
        var toEmbed = _embeddings is null ? corpus : [.. added];
        var (model, _) = await IdentityAsync(cancellationToken).ConfigureAwait(false);
        var entries = await EmbedAsync(tenantId, toEmbed, corpus, model, cancellationToken).ConfigureAwait(false);
        if (entries.Count > 0)
        {
            await collection.UpsertAsync(entries, cancellationToken).ConfigureAwait(false);
        }

        if (stale.Count > 0)
        {
            await collection.DeleteAsync(stale, cancellationToken).ConfigureAwait(false);
        }

        _snapshots.TryRemove(collection.Name, out _);
    }

    private async Task<List<VectorEntry>> EmbedAsync(string tenantId, List<KnowledgeChunk> chunks, IReadOnlyCollection<KnowledgeChunk> corpus,
        string model, CancellationToken cancellationToken)
    {
        if (chunks.Count == 0)
        {
            return [];
        }

        var embedder = EmbedderFor(corpus);
        var vectors = await embedder.GenerateAsync(chunks.Select(chunk => chunk.Text), EmbeddingInputType.ForDocuments(), cancellationToken).ConfigureAwait(false);
        var entries = new List<VectorEntry>(chunks.Count);
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            entries.Add(new VectorEntry
            {
                Key = chunk.Key,
                TenantId = tenantId,
                DocumentId = chunk.DocumentId,
                Text = chunk.Text,
                Source = chunk.Source,
                Position = chunk.Position,
                Metadata = KnowledgeEntries.SerializeMetadata(chunk.Metadata),
                EmbeddingModel = model,
                CreatedAt = chunk.CreatedAt,
                LastUsedAt = chunk.CreatedAt,
                Vector = vectors[i].Vector,
            });
        }

        return entries;
    }

    // Vector search with the filter applied to what the store returns: the search goes deeper until enough chunks pass
    // it or the collection has no more. Only the tenant is filtered in the store, since connectors differ in what
    // else they can filter on.
    private static async Task<List<(KnowledgeChunk Chunk, double Score)>> SearchVectorsAsync(VectorStoreCollection<string, VectorEntry> collection,
        string tenantId, ReadOnlyMemory<float> vector, int top, IReadOnlyDictionary<string, string>? filter, CancellationToken cancellationToken)
    {
        var depth = filter is { Count: > 0 } ? top * 4 : top;
        var options = new VectorSearchOptions<VectorEntry> { Filter = entry => entry.TenantId == tenantId };
        while (true)
        {
            var hits = new List<(KnowledgeChunk, double)>();
            var returned = 0;
            await foreach (var result in collection.SearchAsync(vector, depth, options, cancellationToken).ConfigureAwait(false))
            {
                returned++;
                var chunk = KnowledgeEntries.ToChunk(result.Record);
                if (KnowledgeFilter.Matches(chunk, filter))
                {
                    hits.Add((chunk, result.Score ?? 0));
                }
            }

            if (hits.Count >= top || returned < depth)
            {
                return hits.Count > top ? hits[..top] : hits;
            }

            depth = (int)Math.Min((long)depth * 4, int.MaxValue);
        }
    }

    private IEmbeddingGenerator<string, Embedding<float>> EmbedderFor(IEnumerable<KnowledgeChunk> corpus) => _embeddings ?? FitTfIdf(corpus);

    internal static TfIdfEmbeddingGenerator FitTfIdf(IEnumerable<KnowledgeChunk> corpus)
    {
        var tfidf = new TfIdfEmbeddingGenerator();
        tfidf.Fit(corpus.Select(chunk => chunk.Text));
        return tfidf;
    }

    // One probe is shared by concurrent callers; a failed or cancelled one is forgotten, so that an embedder that was
    // not up yet (Ollama starting) is probed again by the next call instead of failing every call until restart.
    private async Task<(string Model, int Dimensions)> IdentityAsync(CancellationToken cancellationToken)
    {
        Task<(string, int)> probe;
        lock (_identityLock)
        {
            probe = _embedderIdentity ??= IdentifyEmbedderAsync(cancellationToken);
        }

        try
        {
            return await probe.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (probe.IsFaulted || probe.IsCanceled)
        {
            lock (_identityLock)
            {
                if (ReferenceEquals(_embedderIdentity, probe))
                {
                    _embedderIdentity = null;
                }
            }

            throw;
        }
    }

    // The model id and dimensions stored with every vector: what the embedder reports, else what one embedding shows.
    private async Task<(string, int)> IdentifyEmbedderAsync(CancellationToken cancellationToken)
    {
        if (_embeddings is null)
        {
            using var tfidf = new TfIdfEmbeddingGenerator();
            return (tfidf.ModelId, tfidf.Dimensions);
        }

        var metadata = _embeddings.GetService<EmbeddingGeneratorMetadata>();
        if (metadata is { DefaultModelId: { Length: > 0 } id, DefaultModelDimensions: { } dimensions })
        {
            return (id, dimensions);
        }

        var probe = (await _embeddings.GenerateAsync(["dimensions"], EmbeddingInputType.ForDocuments(), cancellationToken).ConfigureAwait(false))[0];
        return (metadata?.DefaultModelId ?? probe.ModelId ?? _embeddings.GetType().Name, probe.Vector.Length);
    }
}
