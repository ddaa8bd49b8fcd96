using MeshFlow.Retrieval.Vectors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Tests.Retrieval.Vectors.Contract;

/// <summary>
/// What every MeshFlow <see cref="VectorStore"/> must do with <see cref="VectorEntry"/> collections, run against each
/// implementation by subclassing. Depends only on the engine library and xunit, so other test projects can link it.
/// </summary>
public abstract partial class VectorStoreContractTests : IAsyncLifetime
{
    protected const string Model = "test-model";
    protected const int Dimensions = 4;

    /// <summary>The longest any single wait in these tests may take (scaled by MESHFLOW_TEST_TIMEOUT_SCALE).</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(
        60 * (int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), out var scale) && scale > 0 ? scale : 1));

    protected static readonly DateTimeOffset Created = new(2026, 12, 7, 18, 0, 0, 123, TimeSpan.Zero);

    /// <summary>The store under test, fresh for each test.</summary>
    protected VectorStore Store { get; private set; } = null!;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Creates a fresh store (a new database for the durable ones).</summary>
    protected abstract Task<VectorStore> CreateStoreAsync();

    public virtual async ValueTask InitializeAsync() => Store = await CreateStoreAsync().WaitAsync(Timeout);

    public virtual ValueTask DisposeAsync()
    {
        Store?.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static string NewTenant() => "tenant-" + Guid.NewGuid().ToString("N")[..12];

    protected VectorStoreCollection<string, VectorEntry> Collection(string name, int dimensions = Dimensions, VectorStore? store = null) =>
        (store ?? Store).GetCollection<string, VectorEntry>(name, VectorEntry.Definition(dimensions));

    protected static VectorEntry Entry(string tenant, string key, float[] vector, string? document = null, string? run = null, string model = Model,
        string? text = null) => new()
    {
        Key = key,
        TenantId = tenant,
        DocumentId = document,
        RunId = run,
        Text = text ?? $"text of {key}",
        Source = "source.md",
        Position = 3,
        Metadata = """{"lang":"en"}""",
        EmbeddingModel = model,
        CreatedAt = Created,
        LastUsedAt = Created.AddMinutes(5),
        UseCount = 2,
        Vector = vector,
    };

    protected static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items.WithCancellation(Token))
        {
            list.Add(item);
        }

        return list;
    }

    protected static Task<List<VectorSearchResult<VectorEntry>>> SearchAsync(VectorStoreCollection<string, VectorEntry> collection, float[] query, int top,
        VectorSearchOptions<VectorEntry>? options = null) =>
        ListAsync(collection.SearchAsync(query, top, options, Token));

    [Fact]
    public async Task An_upserted_entry_reads_back_by_key_with_every_field()
    {
        var tenant = NewTenant();
        var collection = Collection(VectorCollectionNames.Knowledge(tenant, "docs"));
        await collection.UpsertAsync(Entry(tenant, "a", [3, 0, 4, 0], document: "doc-1", run: "run-1"), Token);

        var read = await collection.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true }, Token);

        Assert.NotNull(read);
        Assert.Equal(("a", tenant, "doc-1", "run-1", "text of a", "source.md", 3, """{"lang":"en"}""", Model, 2),
            (read.Key, read.TenantId, read.DocumentId, read.RunId, read.Text, read.Source, read.Position, read.Metadata, read.EmbeddingModel, read.UseCount));
        Assert.Equal(Created, read.CreatedAt);
        Assert.Equal(Created.AddMinutes(5), read.LastUsedAt);

        // Stored at unit length: cosine similarity does not depend on it.
        Assert.Equal([0.6f, 0f, 0.8f, 0f], read.Vector.ToArray(), new FloatTolerance(1e-6f));
        var withoutVector = await collection.GetAsync("a", cancellationToken: Token);
        Assert.True(withoutVector!.Vector.IsEmpty);
        Assert.Null(await collection.GetAsync("missing", cancellationToken: Token));
    }

    [Fact]
    public async Task Upserting_a_key_again_replaces_the_entry()
    {
        var tenant = NewTenant();
        var collection = Collection(VectorCollectionNames.Memory(tenant));
        await collection.UpsertAsync(Entry(tenant, "a", [1, 0, 0, 0], text: "first"), Token);
        await collection.UpsertAsync(Entry(tenant, "a", [0, 1, 0, 0], text: "second"), Token);

        var results = await SearchAsync(collection, [0, 1, 0, 0], 5);

        var only = Assert.Single(results);
        Assert.Equal("second", only.Record.Text);
        Assert.Equal(1.0, only.Score!.Value, 5);
    }

    [Fact]
    public async Task A_deleted_key_is_gone_from_get_and_search()
    {
        var tenant = NewTenant();
        var collection = Collection(VectorCollectionNames.Memory(tenant));
        await collection.UpsertAsync([Entry(tenant, "a", [1, 0, 0, 0]), Entry(tenant, "b", [0, 1, 0, 0]), Entry(tenant, "c", [0, 0, 1, 0])], Token);

        await collection.DeleteAsync("a", Token);
        await collection.DeleteAsync(["c", "never-there"], Token);

        Assert.Null(await collection.GetAsync("a", cancellationToken: Token));
        Assert.Equal(["b"], (await SearchAsync(collection, [1, 0.1f, 0.1f, 0], 10)).Select(r => r.Record.Key));

        // A deleted key can be written again.
        await collection.UpsertAsync(Entry(tenant, "a", [1, 0, 0, 0]), Token);
        Assert.Equal(["a", "b"], (await SearchAsync(collection, [1, 0.1f, 0, 0], 10)).Select(r => r.Record.Key));
    }

    [Fact]
    public async Task A_document_is_deleted_by_finding_its_chunks_with_a_filter()
    {
        var tenant = NewTenant();
        var collection = Collection(VectorCollectionNames.Knowledge(tenant, "docs"));
        await collection.UpsertAsync(
        [
            Entry(tenant, "d1-0", [1, 0, 0, 0], document: "d1"), Entry(tenant, "d1-1", [1, 1, 0, 0], document: "d1"),
            Entry(tenant, "d2-0", [0, 1, 0, 0], document: "d2"),
        ], Token);

        var chunks = await ListAsync(collection.GetAsync(e => e.DocumentId == "d1", 100, cancellationToken: Token));
        await collection.DeleteAsync(chunks.Select(c => c.Key), Token);

        Assert.Equal(["d1-0", "d1-1"], chunks.Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["d2-0"], (await SearchAsync(collection, [1, 1, 0, 0], 10)).Select(r => r.Record.Key));
    }

    [Fact]
    public async Task Search_returns_the_most_similar_first_with_cosine_scores()
    {
        var tenant = NewTenant();
        var collection = Collection(VectorCollectionNames.Memory(tenant));
        await collection.UpsertAsync(
        [
            Entry(tenant, "same", [2, 0, 0, 0]), Entry(tenant, "close", [1, 1, 0, 0]), Entry(tenant, "orthogonal", [0, 0, 5, 0]),
            Entry(tenant, "opposite", [-1, 0, 0, 0]),
        ], Token);

        var results = await SearchAsync(collection, [1, 0, 0, 0], 10);

        Assert.Equal(["same", "close", "orthogonal", "opposite"], results.Select(r => r.Record.Key));
        Assert.Equal([1.0, Math.Sqrt(0.5), 0.0, -1.0], results.Select(r => r.Score!.Value), new DoubleTolerance(1e-5));
        Assert.All(results, r => Assert.True(r.Record.Vector.IsEmpty));

        var top2 = await SearchAsync(collection, [1, 0, 0, 0], 2, new VectorSearchOptions<VectorEntry> { Skip = 1, IncludeVectors = true });
        Assert.Equal(["close", "orthogonal"], top2.Select(r => r.Record.Key));
        Assert.Equal(Dimensions, top2[0].Record.Vector.Length);
    }

    [Fact]
    public async Task Search_takes_a_filter_and_a_score_threshold()
    {
        var tenant = NewTenant();
        var collection = Collection(VectorCollectionNames.Memory(tenant));
        await collection.UpsertAsync(
        [
            Entry(tenant, "a", [1, 0, 0, 0], document: "x") with { Scope = "agent-1" },
            Entry(tenant, "b", [1, 0.2f, 0, 0], document: "y") with { Scope = "agent-2" },
            Entry(tenant, "c", [1, 0.5f, 0, 0], document: "x") with { Scope = "agent-1" },
            Entry(tenant, "d", [0, 1, 0, 0], document: "x") with { Scope = "agent-1" },
        ], Token);

        var filtered = await SearchAsync(collection, [1, 0, 0, 0], 10, new VectorSearchOptions<VectorEntry> { Filter = e => e.Scope == "agent-1" });
        Assert.Equal(["a", "c", "d"], filtered.Select(r => r.Record.Key));

        var scope = "agent-1";
        var thresholded = await SearchAsync(collection, [1, 0, 0, 0], 10, new VectorSearchOptions<VectorEntry>
        {
            Filter = e => e.Scope == scope && e.DocumentId == "x",
            ScoreThreshold = 0.5,
        });
        Assert.Equal(["a", "c"], thresholded.Select(r => r.Record.Key));
    }

    [Fact]
    public async Task A_filtered_get_orders_skips_and_takes()
    {
        var tenant = NewTenant();
        var collection = Collection(VectorCollectionNames.Knowledge(tenant, "docs"));
        await collection.UpsertAsync(Enumerable.Range(0, 6).Select(i => Entry(tenant, $"k{i}", [1, i, 0, 0], document: i % 2 == 0 ? "even" : "odd") with
        {
            Position = 10 - i,
        }), Token);

        var page = await ListAsync(collection.GetAsync(e => e.DocumentId == "even", 2, new FilteredRecordRetrievalOptions<VectorEntry>
        {
            OrderBy = o => o.Ascending(e => e.Position),
            Skip = 1,
        }, Token));

        Assert.Equal(["k2", "k0"], page.Select(e => e.Key));
    }

    [Fact]
    public async Task A_tenants_collection_never_returns_another_tenants_entries()
    {
        var (tenantA, tenantB) = (NewTenant(), NewTenant());
        var a = Collection(VectorCollectionNames.Knowledge(tenantA, "handbook"));
        var b = Collection(VectorCollectionNames.Knowledge(tenantB, "handbook"));
        await a.UpsertAsync(Entry(tenantA, "secret", [1, 0, 0, 0], text: "tenant A's salary bands"), Token);
        await b.UpsertAsync(Entry(tenantB, "public", [0, 1, 0, 0]), Token);

        var results = await SearchAsync(b, [1, 0, 0, 0], 10);

        Assert.Equal(["public"], results.Select(r => r.Record.Key));
        Assert.Null(await b.GetAsync("secret", cancellationToken: Token));
        Assert.False(await Collection(VectorCollectionNames.Knowledge(tenantB, "other")).CollectionExistsAsync(Token));

        // An entry of tenant A cannot be written into tenant B's collection.
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => b.UpsertAsync(Entry(tenantA, "smuggled", [1, 0, 0, 0]), Token));
        Assert.Contains("TenantId", refused.Message, StringComparison.Ordinal);
        Assert.Null(await b.GetAsync("smuggled", cancellationToken: Token));
    }

    [Fact]
    public async Task A_collection_refuses_vectors_of_another_embedding_model()
    {
        var tenant = NewTenant();
        var collection = Collection(VectorCollectionNames.Memory(tenant));
        await collection.UpsertAsync(Entry(tenant, "a", [1, 0, 0, 0], model: "all-MiniLM-L6-v2"), Token);

        var refused = await Assert.ThrowsAsync<VectorModelMismatchException>(() =>
            collection.UpsertAsync(Entry(tenant, "b", [0, 1, 0, 0], model: "text-embedding-3-small"), Token));

        Assert.Contains("all-MiniLM-L6-v2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("text-embedding-3-small", refused.Message, StringComparison.Ordinal);
        Assert.Null(await collection.GetAsync("b", cancellationToken: Token));

        // A search embedding that names another model is refused too.
        await Assert.ThrowsAsync<VectorModelMismatchException>(() =>
            ListAsync(collection.SearchAsync(new Embedding<float>(new float[] { 1, 0, 0, 0 }) { ModelId = "voyage-3" }, 3, cancellationToken: Token)));
    }

    [Fact]
    public async Task A_collection_of_other_dimensions_is_refused_by_name()
    {
        var tenant = NewTenant();
        var name = VectorCollectionNames.Memory(tenant);
        await Collection(name).UpsertAsync(Entry(tenant, "a", [1, 0, 0, 0]), Token);

        var wrongLength = await Assert.ThrowsAsync<ArgumentException>(() => Collection(name).UpsertAsync(Entry(tenant, "b", [1, 0, 0]), Token));
        Assert.Contains("3 dimensions", wrongLength.Message, StringComparison.Ordinal);
        Assert.Contains("expects 4", wrongLength.Message, StringComparison.Ordinal);

        var wrongQuery = await Assert.ThrowsAsync<ArgumentException>(() => SearchAsync(Collection(name), [1, 0], 3));
        Assert.Contains("2 dimensions", wrongQuery.Message, StringComparison.Ordinal);

        var wrongDefinition = await Assert.ThrowsAsync<VectorModelMismatchException>(() =>
            Collection(name, dimensions: 8).UpsertAsync(Entry(tenant, "c", [1, 0, 0, 0, 0, 0, 0, 0]), Token));
        Assert.Contains("4 dimensions", wrongDefinition.Message, StringComparison.Ordinal);
        Assert.Contains("8 dimensions", wrongDefinition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_without_a_key_a_model_or_a_finite_vector_is_refused_naming_the_field()
    {
        var tenant = NewTenant();
        var collection = Collection(VectorCollectionNames.Memory(tenant));

        var noKey = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(Entry(tenant, "", [1, 0, 0, 0]), Token));
        var noModel = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(Entry(tenant, "a", [1, 0, 0, 0], model: ""), Token));

        var notANumber = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(Entry(tenant, "b", [1, float.NaN, 0, 0]), Token));
        var infiniteQuery = await Assert.ThrowsAsync<ArgumentException>(() => SearchAsync(collection, [float.PositiveInfinity, 0, 0, 0], 3));

        Assert.Contains("Key", noKey.Message, StringComparison.Ordinal);
        Assert.Contains("EmbeddingModel", noModel.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", notANumber.Message, StringComparison.Ordinal);
        Assert.Contains("infinite", infiniteQuery.Message, StringComparison.Ordinal);
        Assert.False(await collection.CollectionExistsAsync(Token));
    }

    [Fact]
    public async Task Searching_by_text_needs_an_embedding_generator()
    {
        var tenant = NewTenant();
        var name = VectorCollectionNames.Memory(tenant);
        var plain = Collection(name);
        var generator = new LetterCountEmbeddingGenerator();
        var definition = VectorEntry.Definition(Dimensions);
        definition.EmbeddingGenerator = generator;
        var embedding = Store.GetCollection<string, VectorEntry>(name, definition);
        await plain.UpsertAsync([Entry(tenant, "abba", [2, 2, 0, 0], model: LetterCountEmbeddingGenerator.ModelId), Entry(tenant, "cd", [0, 0, 1, 1], model: LetterCountEmbeddingGenerator.ModelId)], Token);

        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => ListAsync(plain.SearchAsync("abab", 1, cancellationToken: Token)));
        var found = await ListAsync(embedding.SearchAsync("abab", 1, cancellationToken: Token));

        Assert.Contains("embedding generator", refused.Message, StringComparison.Ordinal);
        Assert.Equal("abba", Assert.Single(found).Record.Key);
    }

    [Fact]
    public void A_collection_of_another_record_type_is_refused_naming_VectorEntry()
    {
        var refused = Assert.Throws<NotSupportedException>(() => Store.GetCollection<string, Dictionary<string, object?>>("anything"));
        var wrongKey = Assert.Throws<NotSupportedException>(() => Store.GetCollection<Guid, VectorEntry>("anything"));

        Assert.Contains(nameof(VectorEntry), refused.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Guid), wrongKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collections_are_listed_checked_and_deleted()
    {
        var tenant = NewTenant();
        var (docs, memory) = (VectorCollectionNames.Knowledge(tenant, "docs"), VectorCollectionNames.Memory(tenant));
        await Collection(docs).EnsureCollectionExistsAsync(Token);
        await Collection(memory).UpsertAsync(Entry(tenant, "a", [1, 0, 0, 0]), Token);

        var names = await ListAsync(Store.ListCollectionNamesAsync(Token));
        Assert.Contains(docs, names);
        Assert.Contains(memory, names);
        Assert.True(await Store.CollectionExistsAsync(docs, Token));
        Assert.Empty(await SearchAsync(Collection(docs), [1, 0, 0, 0], 3));

        await Store.EnsureCollectionDeletedAsync(memory, Token);
        await Collection(docs).EnsureCollectionDeletedAsync(Token);
        await Store.EnsureCollectionDeletedAsync(memory, Token);

        Assert.False(await Store.CollectionExistsAsync(memory, Token));
        Assert.False(await Collection(docs).CollectionExistsAsync(Token));
        Assert.Empty(await SearchAsync(Collection(memory), [1, 0, 0, 0], 3));

        // A deleted collection starts afresh, with any model.
        await Collection(memory).UpsertAsync(Entry(tenant, "b", [0, 1, 0, 0], model: "another-model"), Token);
        Assert.Equal(["b"], (await SearchAsync(Collection(memory), [1, 1, 0, 0], 3)).Select(r => r.Record.Key));
    }

    [Fact]
    public async Task Top_k_is_exactly_the_brute_force_top_k_on_random_vectors()
    {
        const int dimensions = 32;
        var tenant = NewTenant();
        var collection = Collection(VectorCollectionNames.Memory(tenant), dimensions);
        var random = new Random(7);
        var vectors = Enumerable.Range(0, 500).Select(_ => Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToList();
        await collection.UpsertAsync(vectors.Select((v, i) => Entry(tenant, $"k{i:D3}", v)), Token);

        for (var trial = 0; trial < 5; trial++)
        {
            var query = Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var expected = vectors.Select((v, i) => (Key: $"k{i:D3}", Score: Cosine(query, v))).OrderByDescending(x => x.Score).Take(10).ToList();

            var actual = await SearchAsync(collection, query, 10);

            Assert.Equal(expected.Select(x => x.Key), actual.Select(r => r.Record.Key));
            Assert.Equal(expected.Select(x => x.Score), actual.Select(r => r.Score!.Value), new DoubleTolerance(1e-5));
        }
    }

    protected static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    protected sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }

    protected sealed class DoubleTolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }

    /// <summary>A real, if crude, embedder: counts of the letters a to d. Enough to search by text without a model.</summary>
    private sealed class LetterCountEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public const string ModelId = "letter-count";

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(text =>
                new Embedding<float>(new float[] { text.Count(c => c == 'a'), text.Count(c => c == 'b'), text.Count(c => c == 'c'), text.Count(c => c == 'd') })
                {
                    ModelId = ModelId,
                })));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
