using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Memory;
using MeshFlow.Retrieval.Embeddings;
using MeshFlow.Retrieval.Vectors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Tests.Memory;

public sealed class AgentMemoryStoreTests
{
    private const string Tenant = "acme";
    private const string Scope = "agent:research:analyst";

    private static async Task<AgentMemoryStore> FilledAsync(IEmbeddingGenerator<string, Embedding<float>>? embeddings, InMemoryVectorStore? vectors = null)
    {
        var store = new AgentMemoryStore(vectors ?? new InMemoryVectorStore(), embeddings);
        foreach (var memory in MemoryCorpus.Memories)
        {
            Assert.NotNull(await store.AddAsync(Tenant, Scope, memory, "run_1"));
        }

        return store;
    }

    private static async Task<List<VectorEntry>> EntriesAsync(VectorStore vectors, string tenant, int dimensions)
    {
        var collection = vectors.GetCollection<string, VectorEntry>(VectorCollectionNames.Memory(tenant), VectorEntry.Definition(dimensions));
        var entries = new List<VectorEntry>();
        await foreach (var entry in collection.GetAsync(_ => true, 10_000))
        {
            entries.Add(entry);
        }

        return entries;
    }

    [Fact]
    public async Task A_paraphrase_sharing_no_word_finds_its_memory_first_with_the_local_embedder()
    {
        using var embeddings = new LocalEmbeddingGenerator();
        var store = await FilledAsync(embeddings);

        foreach (var (query, memory) in MemoryCorpus.Paraphrases)
        {
            Assert.Equal(0, KeywordOverlap.Relevance(KeywordOverlap.Words(query), KeywordOverlap.Words(MemoryCorpus.Memories[memory])));
            var recalled = await store.RetrieveRelevantAsync(Tenant, Scope, query, topK: 3);

            Assert.NotEmpty(recalled);
            Assert.Equal(MemoryCorpus.Memories[memory], recalled[0].Text);
            Assert.True(recalled.Zip(recalled.Skip(1)).All(p => p.First.Score >= p.Second.Score), "ranked best first");
        }
    }

    [Fact]
    public async Task With_tf_idf_a_question_sharing_words_finds_its_memory_first()
    {
        var store = await FilledAsync(new TfIdfEmbeddingGenerator());

        foreach (var (query, memory) in MemoryCorpus.Overlapping)
        {
            var recalled = await store.RetrieveRelevantAsync(Tenant, Scope, query, topK: 5);

            Assert.Equal(MemoryCorpus.Memories[memory], recalled[0].Text);
        }
    }

    [Fact]
    public async Task Without_an_embedder_keywords_find_the_memory_and_a_question_sharing_none_recalls_nothing()
    {
        var store = await FilledAsync(embeddings: null);
        Assert.False(store.UsesEmbeddings);

        foreach (var (query, memory) in MemoryCorpus.Overlapping)
        {
            var recalled = await store.RetrieveRelevantAsync(Tenant, Scope, query, topK: 5);

            Assert.Equal(MemoryCorpus.Memories[memory], recalled[0].Text);
        }

        // Keyword matching cannot see a paraphrase; a question sharing no word with any memory is handed nothing.
        foreach (var (query, memory) in MemoryCorpus.Paraphrases)
        {
            Assert.DoesNotContain(MemoryCorpus.Memories[memory], (await store.RetrieveRelevantAsync(Tenant, Scope, query, topK: 5)).Select(m => m.Text));
        }

        Assert.Empty(await store.RetrieveRelevantAsync(Tenant, Scope, MemoryCorpus.Paraphrases[3].Query, topK: 5));
    }

    [Fact]
    public async Task An_unrelated_question_recalls_nothing_with_the_local_embedder()
    {
        using var embeddings = new LocalEmbeddingGenerator();
        var store = await FilledAsync(embeddings);

        Assert.Empty(await store.RetrieveRelevantAsync(Tenant, Scope, "Explain the rules of cricket to a beginner, over by over.", topK: 5));
    }

    [Fact]
    public async Task Every_memory_carries_its_tenant_run_scope_and_embedding_model()
    {
        using var embeddings = new LocalEmbeddingGenerator();
        var vectors = new InMemoryVectorStore();
        await FilledAsync(embeddings, vectors);

        var entries = await EntriesAsync(vectors, Tenant, LocalEmbeddingGenerator.Dimensions);

        Assert.Equal(MemoryCorpus.Memories.Length, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal(Tenant, e.TenantId);
            Assert.Equal("run_1", e.RunId);
            Assert.Equal(Scope, e.Scope);
            Assert.Equal(LocalEmbeddingGenerator.ModelId, e.EmbeddingModel);
            Assert.Null(e.DocumentId);
        });
    }

    [Fact]
    public async Task A_near_duplicate_is_merged_into_the_memory_it_repeats()
    {
        using var embeddings = new LocalEmbeddingGenerator();
        var vectors = new InMemoryVectorStore();
        var store = new AgentMemoryStore(vectors, embeddings);

        var first = await store.AddAsync(Tenant, Scope, "The client prefers email over phone calls for status updates.", "run_1");
        var second = await store.AddAsync(Tenant, Scope, "The client prefers email to phone calls for status updates.", "run_2");
        var other = await store.AddAsync(Tenant, Scope, "Invoices are due within thirty days of delivery.", "run_2");

        Assert.Equal(first!.Id, second!.Id);
        Assert.Equal(1, second.UseCount);
        Assert.Equal("The client prefers email to phone calls for status updates.", second.Text);
        Assert.Equal("run_2", second.RunId);
        Assert.NotEqual(first.Id, other!.Id);
        Assert.Equal(2, (await EntriesAsync(vectors, Tenant, LocalEmbeddingGenerator.Dimensions)).Count);
    }

    [Fact]
    public async Task A_scope_over_its_budget_loses_its_least_recently_used_memory()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var vectors = new InMemoryVectorStore();
        var store = new AgentMemoryStore(vectors, embeddings: null, new AgentMemoryStoreOptions { MaxEntriesPerScope = 3 }, time);
        var ids = new List<string>();
        foreach (var text in MemoryCorpus.Memories.Take(3))
        {
            ids.Add((await store.AddAsync(Tenant, Scope, text))!.Id);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        // The oldest one is recalled, so the second becomes the least recently used.
        Assert.Equal(ids[0], Assert.Single(await store.RetrieveRelevantAsync(Tenant, Scope, "dog vaccinations kennel", topK: 1)).Id);
        time.Advance(TimeSpan.FromMinutes(1));
        var fourth = await store.AddAsync(Tenant, Scope, MemoryCorpus.Memories[3]);

        var kept = (await EntriesAsync(vectors, Tenant, 1)).Select(e => e.Key).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { ids[0], ids[2], fourth!.Id }.Order(StringComparer.Ordinal), kept);
    }

    [Fact]
    public async Task A_recall_counts_a_use()
    {
        var store = await FilledAsync(embeddings: null);

        var once = Assert.Single(await store.RetrieveRelevantAsync(Tenant, Scope, "non-compete clause", topK: 1));
        var twice = Assert.Single(await store.RetrieveRelevantAsync(Tenant, Scope, "non-compete clause", topK: 1));

        Assert.Equal(once.Id, twice.Id);
        Assert.Equal(1, once.UseCount);
        Assert.Equal(2, twice.UseCount);
    }

    [Theory]
    [InlineData("Sure! I hope this helps.")]
    [InlineData("   ")]
    [InlineData("[INFO] 2026-12-01 request done\n100%")]
    public async Task Text_with_nothing_worth_remembering_is_not_stored(string text)
    {
        var vectors = new InMemoryVectorStore();
        var store = new AgentMemoryStore(vectors, embeddings: null);

        Assert.Null(await store.AddAsync(Tenant, Scope, text));
        Assert.Empty(await EntriesAsync(vectors, Tenant, 1));
    }

    [Fact]
    public async Task Scopes_keep_their_memories_apart_and_another_tenant_sees_none()
    {
        using var embeddings = new LocalEmbeddingGenerator();
        var store = new AgentMemoryStore(new InMemoryVectorStore(), embeddings);
        const string Fact = "The Hartwell renewal needs legal review of the indemnity cap before 14 March.";
        const string Query = "What does the Hartwell renewal need before March?";
        var runOne = MemoryScopes.Run("run_1", "analyst");
        var runTwo = MemoryScopes.Run("run_2", "analyst");
        var agent = MemoryScopes.Agent("research", "analyst");
        var otherAgent = MemoryScopes.Agent("research", "writer");
        var otherWorkflow = MemoryScopes.Agent("billing", "analyst");

        await store.AddAsync(Tenant, runOne, Fact, "run_1");
        await store.AddAsync(Tenant, agent, Fact, "run_1");
        await store.AddAsync(Tenant, MemoryScopes.Tenant, Fact, "run_1");

        foreach (var scope in new[] { runOne, agent, MemoryScopes.Tenant })
        {
            Assert.Equal(Fact, Assert.Single(await store.RetrieveRelevantAsync(Tenant, scope, Query, topK: 5)).Text);
        }

        foreach (var scope in new[] { runTwo, otherAgent, otherWorkflow })
        {
            Assert.Empty(await store.RetrieveRelevantAsync(Tenant, scope, Query, topK: 5));
        }

        foreach (var scope in new[] { runOne, agent, MemoryScopes.Tenant })
        {
            Assert.Empty(await store.RetrieveRelevantAsync("globex", scope, Query, topK: 5));
        }
    }

    [Fact]
    public async Task A_tenant_memory_written_with_another_embedding_model_is_refused_not_mixed()
    {
        var vectors = new InMemoryVectorStore();
        using var local = new LocalEmbeddingGenerator();
        await new AgentMemoryStore(vectors, new TfIdfEmbeddingGenerator(LocalEmbeddingGenerator.Dimensions))
            .AddAsync(Tenant, Scope, MemoryCorpus.Memories[0]);
        var store = new AgentMemoryStore(vectors, local);

        var error = await Assert.ThrowsAsync<VectorModelMismatchException>(() => store.AddAsync(Tenant, Scope, MemoryCorpus.Memories[1]));

        Assert.Contains(LocalEmbeddingGenerator.ModelId, error.Message, StringComparison.Ordinal);
        Assert.Contains("tfidf-384", error.Message, StringComparison.Ordinal);
        Assert.Single(await EntriesAsync(vectors, Tenant, LocalEmbeddingGenerator.Dimensions));
    }

    [Fact]
    public async Task Re_embedding_moves_a_tenants_memories_to_the_current_model_and_keeps_what_they_are()
    {
        var vectors = new InMemoryVectorStore();
        var keywords = new AgentMemoryStore(vectors, embeddings: null);
        var stored = await keywords.AddAsync(Tenant, Scope, MemoryCorpus.Memories[0], "run_1");
        await keywords.AddAsync(Tenant, MemoryScopes.Tenant, MemoryCorpus.Memories[9], "run_2");
        using var local = new LocalEmbeddingGenerator();
        var store = new AgentMemoryStore(vectors, local);
        await Assert.ThrowsAsync<VectorModelMismatchException>(() => store.RetrieveRelevantAsync(Tenant, Scope, "pet", topK: 1));

        Assert.Equal(2, await store.ReembedAsync(Tenant));

        var recalled = Assert.Single(await store.RetrieveRelevantAsync(Tenant, Scope, MemoryCorpus.Paraphrases[0].Query, topK: 1));
        Assert.Equal((stored!.Id, stored.Text, stored.RunId, stored.CreatedAt), (recalled.Id, recalled.Text, recalled.RunId, recalled.CreatedAt));
        Assert.All(await EntriesAsync(vectors, Tenant, LocalEmbeddingGenerator.Dimensions), e => Assert.Equal(LocalEmbeddingGenerator.ModelId, e.EmbeddingModel));
        Assert.Equal(0, await new AgentMemoryStore(vectors, local).ReembedAsync("globex"));
    }
}
