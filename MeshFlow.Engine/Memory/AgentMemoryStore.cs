using MeshFlow.Retrieval.Embeddings;
using MeshFlow.Retrieval.Vectors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Memory;

/// <summary>
/// What agents remember, per tenant and scope: written purified (<see cref="ObservationPurifier"/>), embedded on write,
/// merged with near-duplicates and kept within a budget (<see cref="MemoryConsolidator"/>), and recalled by relevance
/// to a query.
/// </summary>
/// <remarks>
/// <para>Memories live in the vector store's collection <see cref="VectorCollectionNames.Memory"/> of their tenant,
/// each a <see cref="VectorEntry"/> with its <see cref="VectorEntry.Scope"/>, <see cref="VectorEntry.TenantId"/> and
/// the <see cref="VectorEntry.RunId"/> that wrote it (erasing the run erases it). Any store implementing the
/// <see cref="VectorStoreCollection{TKey, TRecord}"/> contract with filters on those fields serves.</para>
/// <para>With an embedding generator, recall ranks a scope's memories by cosine similarity to the query's embedding.
/// Without one, it ranks them by the content words they share with the query (<see cref="KeywordOverlap"/>); such
/// memories are stored with a one-dimensional placeholder vector under the model name <see cref="KeywordModel"/>, so a
/// store never mistakes them for embeddings.</para>
/// <para>Writes and recalls of one scope are serialized within this process; two processes writing one scope at once
/// may each add a memory the other would have merged, and the next write evicts what is over the budget.</para>
/// </remarks>
public sealed class AgentMemoryStore
{
    /// <summary>The model name of memories stored without an embedding generator.</summary>
    public const string KeywordModel = "keyword-overlap";

    private const int DuplicateCandidates = 4;
    private static readonly ReadOnlyMemory<float> KeywordVector = new float[] { 1f };

    private readonly VectorStore _vectors;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embeddings;
    private readonly AgentMemoryStoreOptions _options;
    private readonly ObservationPurifier _purifier;
    private readonly MemoryConsolidator _consolidator;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim[] _scopeLocks = [.. Enumerable.Range(0, 32).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Creates a store over <paramref name="vectors"/>.</summary>
    /// <param name="vectors">Where memories are kept.</param>
    /// <param name="embeddings">What embeds memories and queries; null for keyword matching.</param>
    /// <param name="options">Budgets and thresholds; null for the defaults.</param>
    /// <param name="timeProvider">The clock of creation and use times.</param>
    /// <param name="logger">Where the engine's steps report a memory they could not read or write (never its content).</param>
    public AgentMemoryStore(VectorStore vectors, IEmbeddingGenerator<string, Embedding<float>>? embeddings, AgentMemoryStoreOptions? options = null,
        TimeProvider? timeProvider = null, ILogger<AgentMemoryStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        _vectors = vectors;
        _embeddings = embeddings;
        _options = options ?? new AgentMemoryStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxEntriesPerScope, 1, "options.MaxEntriesPerScope");
        _purifier = new ObservationPurifier(_options.MaxLength);
        _consolidator = new MemoryConsolidator(_options);
        _time = timeProvider ?? TimeProvider.System;
        Logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Whether memories are embedded (else matched by keywords).</summary>
    public bool UsesEmbeddings => _embeddings is not null;

    /// <summary>The purifier every memory passes before it is stored.</summary>
    public ObservationPurifier Purifier => _purifier;

    internal ILogger Logger { get; }

    /// <summary>
    /// Remembers <paramref name="text"/> in a scope: purified, embedded, merged into a near-duplicate the scope holds or
    /// added, then the scope brought within its budget.
    /// </summary>
    /// <param name="tenantId">The tenant the memory belongs to.</param>
    /// <param name="scope">The scope key (<see cref="MemoryScopes"/>).</param>
    /// <param name="text">What to remember, as produced.</param>
    /// <param name="runId">The run that produced it, or null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The memory as stored (the merged one for a near-duplicate), or null when nothing of the text was worth remembering.</returns>
    /// <exception cref="VectorModelMismatchException">The tenant's memory was written with another embedding model.</exception>
    public async Task<AgentMemory?> AddAsync(string tenantId, string scope, string text, string? runId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(scope);
        ArgumentNullException.ThrowIfNull(text);
        if (_purifier.Purify(text) is not { } purified)
        {
            return null;
        }

        var embedding = await EmbedAsync(purified, EmbeddingInputType.ForDocuments(), cancellationToken).ConfigureAwait(false);
        var (vector, model) = (embedding.Vector, embedding.ModelId!);
        var collection = Collection(tenantId, vector.Length);
        var now = _time.GetUtcNow();
        var written = new VectorEntry
        {
            Key = "mem_" + Guid.CreateVersion7().ToString("N"), TenantId = tenantId, RunId = runId, Scope = scope, Text = purified,
            EmbeddingModel = model, CreatedAt = now, LastUsedAt = now, Vector = vector,
        };

        var gate = GateOf(tenantId, scope);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            VectorEntry? duplicate;
            if (_embeddings is not null)
            {
                var nearest = new List<(VectorEntry, double)>();
                var search = new VectorSearchOptions<VectorEntry> { Filter = e => e.Scope == scope && e.TenantId == tenantId };
                // Searched with the embedding itself, so that the store refuses a collection of another model rather than compare across spaces.
                await foreach (var result in collection.SearchAsync(embedding, DuplicateCandidates, search, cancellationToken).ConfigureAwait(false))
                {
                    nearest.Add((result.Record, result.Score ?? 0));
                }

                duplicate = _consolidator.FindDuplicate(nearest);
            }
            else
            {
                duplicate = _consolidator.FindDuplicate(purified, await ReadScopeAsync(collection, tenantId, scope, false, cancellationToken).ConfigureAwait(false));
            }

            // The duplicate is merged as it is now, not as the search read it: an erasure committed since then would
            // otherwise be undone by upserting the stale record. A duplicate erased meanwhile leaves the new memory to add.
            var current = duplicate is null ? null : (await ReadCurrentAsync(collection, [duplicate.Key], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(duplicate.Key);
            var stored = current is null ? written : MemoryConsolidator.Merge(current, written);
            await collection.UpsertAsync(stored, cancellationToken).ConfigureAwait(false);

            var evicted = _consolidator.SelectEvictions(await ReadScopeAsync(collection, tenantId, scope, false, cancellationToken).ConfigureAwait(false));
            if (evicted.Count > 0)
            {
                await collection.DeleteAsync(evicted.Select(e => e.Key), cancellationToken).ConfigureAwait(false);
            }

            return ToMemory(stored, 0);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The memories of a scope most relevant to <paramref name="query"/>, best first, at most <paramref name="topK"/>
    /// of them and none below <see cref="AgentMemoryStoreOptions.MinRelevance"/>; each one recalled counts a use.
    /// </summary>
    /// <param name="tenantId">The tenant whose memories are searched.</param>
    /// <param name="scope">The scope key (<see cref="MemoryScopes"/>).</param>
    /// <param name="query">What the memories should be relevant to.</param>
    /// <param name="topK">The most memories returned.</param>
    /// <param name="cancellationToken">Cancels the recall.</param>
    /// <exception cref="VectorModelMismatchException">The tenant's memory was written with another embedding model.</exception>
    public async Task<IReadOnlyList<AgentMemory>> RetrieveRelevantAsync(string tenantId, string scope, string query, int topK,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(scope);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        if (string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var embedding = await EmbedAsync(query, EmbeddingInputType.ForQuery(), cancellationToken).ConfigureAwait(false);
        var collection = Collection(tenantId, embedding.Vector.Length);
        var gate = GateOf(tenantId, scope);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var found = new List<(VectorEntry Entry, double Score)>(topK);
            if (_embeddings is not null)
            {
                var search = new VectorSearchOptions<VectorEntry>
                {
                    Filter = e => e.Scope == scope && e.TenantId == tenantId, IncludeVectors = true, ScoreThreshold = _options.MinRelevance,
                };
                await foreach (var result in collection.SearchAsync(embedding, topK, search, cancellationToken).ConfigureAwait(false))
                {
                    // The threshold is applied here too: a store may read ScoreThreshold differently or not at all.
                    if (result.Score is { } score && score >= _options.MinRelevance)
                    {
                        found.Add((result.Record, score));
                    }
                }
            }
            else
            {
                var words = KeywordOverlap.Words(query);
                found.AddRange((await ReadScopeAsync(collection, tenantId, scope, true, cancellationToken).ConfigureAwait(false))
                    .Select(e => (Entry: e, Score: KeywordOverlap.Relevance(words, KeywordOverlap.Words(e.Text))))
                    .Where(r => r.Score > 0)
                    .OrderByDescending(r => r.Score)
                    .ThenByDescending(r => r.Entry.LastUsedAt)
                    .ThenBy(r => r.Entry.Key, StringComparer.Ordinal)
                    .Take(topK));
            }

            if (found.Count == 0)
            {
                return [];
            }

            // The use is counted on the records as they are now, and only on those still present: upserting what the
            // search read would revive a memory erased since (the store's contract has no conditional write), and
            // would overwrite anything else written to it meanwhile.
            var now = _time.GetUtcNow();
            var current = await ReadCurrentAsync(collection, found.Select(r => r.Entry.Key), cancellationToken).ConfigureAwait(false);
            var used = found
                .Where(r => current.ContainsKey(r.Entry.Key))
                .Select(r => (Entry: current[r.Entry.Key] with { UseCount = current[r.Entry.Key].UseCount + 1, LastUsedAt = now }, r.Score))
                .ToList();
            if (used.Count > 0)
            {
                await collection.UpsertAsync(used.Select(r => r.Entry), cancellationToken).ConfigureAwait(false);
            }

            return [.. used.Select(r => ToMemory(r.Entry, r.Score))];
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Re-embeds every memory of a tenant with this store's embedding generator (or turns them into keyword memories
    /// when it has none), keeping their keys, scopes, runs, times and use counts: what to do after the embedding model
    /// changed, since a collection holds one model's vectors (<see cref="VectorModelMismatchException"/>).
    /// </summary>
    /// <remarks>Memories the tenant's agents write while it runs may be lost: re-embed between runs.</remarks>
    /// <returns>How many memories were re-embedded.</returns>
    public async Task<int> ReembedAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        var probe = await EmbedAsync("memory", EmbeddingInputType.ForDocuments(), cancellationToken).ConfigureAwait(false);
        List<VectorEntry> stored;
        try
        {
            stored = await ReadAllAsync(Collection(tenantId, probe.Vector.Length), cancellationToken).ConfigureAwait(false);
        }
        catch (VectorModelMismatchException mismatch)
        {
            stored = await ReadAllAsync(Collection(tenantId, mismatch.CollectionDimensions), cancellationToken).ConfigureAwait(false);
        }

        if (stored.Count == 0)
        {
            return 0;
        }

        List<ReadOnlyMemory<float>> vectors = _embeddings is null
            ? [.. stored.Select(_ => KeywordVector)]
            : (await _embeddings.GenerateAsync(stored.Select(e => e.Text), EmbeddingInputType.ForDocuments(), cancellationToken).ConfigureAwait(false))
                .Select(e => e.Vector).ToList();
        var model = probe.ModelId!;
        var collection = Collection(tenantId, probe.Vector.Length);
        await _vectors.EnsureCollectionDeletedAsync(collection.Name, cancellationToken).ConfigureAwait(false);
        await collection.UpsertAsync(stored.Select((e, i) => e with { Vector = vectors[i], EmbeddingModel = model }), cancellationToken).ConfigureAwait(false);
        return stored.Count;

        static async Task<List<VectorEntry>> ReadAllAsync(VectorStoreCollection<string, VectorEntry> collection, CancellationToken cancellationToken)
        {
            var entries = new List<VectorEntry>();
            await foreach (var entry in collection.GetAsync(_ => true, int.MaxValue, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                entries.Add(entry);
            }

            return entries;
        }
    }

    // The text's embedding with the model that made it; without a generator, the keyword placeholder.
    private async Task<Embedding<float>> EmbedAsync(string text, EmbeddingGenerationOptions inputType, CancellationToken cancellationToken)
    {
        if (_embeddings is null)
        {
            return new Embedding<float>(KeywordVector) { ModelId = KeywordModel };
        }

        var embedding = await _embeddings.GenerateAsync(text, inputType, cancellationToken).ConfigureAwait(false);
        embedding.ModelId ??= _embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId
            ?? throw new InvalidOperationException("the embedding generator names no model (neither on its embeddings nor in its metadata), which memory stores with every vector");
        return embedding;
    }

    private VectorStoreCollection<string, VectorEntry> Collection(string tenantId, int dimensions) =>
        _vectors.GetCollection<string, VectorEntry>(VectorCollectionNames.Memory(tenantId), VectorEntry.Definition(dimensions));

    // Every memory of a scope; a scope holds at most its budget (and what one write from another process added), so a
    // generous bound reads them all without asking a store for an unbounded page.
    private async Task<List<VectorEntry>> ReadScopeAsync(VectorStoreCollection<string, VectorEntry> collection, string tenantId, string scope,
        bool includeVectors, CancellationToken cancellationToken)
    {
        var entries = new List<VectorEntry>();
        var read = new FilteredRecordRetrievalOptions<VectorEntry> { IncludeVectors = includeVectors };
        await foreach (var entry in collection.GetAsync(e => e.Scope == scope && e.TenantId == tenantId, _options.MaxEntriesPerScope * 2 + 64, read, cancellationToken)
            .ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        return entries;
    }

    // The records of these keys as the store holds them now, with their vectors (an upsert writes the whole record).
    private static async Task<Dictionary<string, VectorEntry>> ReadCurrentAsync(VectorStoreCollection<string, VectorEntry> collection,
        IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var current = new Dictionary<string, VectorEntry>(StringComparer.Ordinal);
        await foreach (var entry in collection.GetAsync(keys, new RecordRetrievalOptions { IncludeVectors = true }, cancellationToken).ConfigureAwait(false))
        {
            current[entry.Key] = entry;
        }

        return current;
    }

    private SemaphoreSlim GateOf(string tenantId, string scope) =>
        _scopeLocks[(int)((uint)HashCode.Combine(tenantId, scope) % (uint)_scopeLocks.Length)];

    private static AgentMemory ToMemory(VectorEntry entry, double score) => new(entry.Key, entry.Scope ?? string.Empty, entry.Text)
    {
        RunId = entry.RunId, CreatedAt = entry.CreatedAt, LastUsedAt = entry.LastUsedAt, UseCount = entry.UseCount, Score = score,
    };
}
