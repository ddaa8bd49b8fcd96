using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Execution;
using MeshFlow.Retrieval.Documents;
using MeshFlow.Retrieval.Embeddings;
using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Tests.Retrieval.Documents;

public sealed class KnowledgeBasesTests
{
    private static readonly KnowledgeDocument[] TenDocuments =
    [
        new("Employees accrue two days of paid vacation every month; unused days carry over up to fifteen.") { Id = "vacation" },
        new("The server writes each transaction to a write-ahead log before acknowledging it, and replays the log after a crash.") { Id = "durability" },
        new("Patients who miss an appointment without cancelling a day ahead are charged a fee of 35 dollars.") { Id = "no-show" },
        new("When the checkout error rate passes two percent, the on-call engineer rolls back the latest deployment.") { Id = "rollback" },
        new("Cards can be frozen instantly in the mobile app; a frozen card declines every payment until it is unfrozen.") { Id = "freeze" },
        new("Members may borrow twelve items at once for three weeks and renew them twice online.") { Id = "loans" },
        new("Our sourdough ferments for 36 hours and contains only flour, water and salt.") { Id = "sourdough" },
        new("Flu shots are given from October to December, free for adults over 65 and pregnant women.") { Id = "flu" },
        new("TLS certificates renew automatically thirty days before they expire; page the platform team when one is a week from expiry.") { Id = "certs" },
        new("The office opens at seven and closes at eight on weekdays; badge access after hours must be requested a day ahead.") { Id = "hours" },
    ];

    [Theory]
    [InlineData("How much holiday do I build up each month?", "vacation")]
    [InlineData("Is confirmed data safe if the power goes out?", "durability")]
    [InlineData("Will I be billed if I don't turn up to see the doctor?", "no-show")]
    [InlineData("Customers cannot pay at checkout; what does the engineer on call do?", "rollback")]
    [InlineData("I lost my bank card; how do I stop it being used?", "freeze")]
    [InlineData("How long may I keep books I take home from the library?", "loans")]
    [InlineData("What ingredients are in your naturally leavened bread?", "sourdough")]
    [InlineData("Who can get the seasonal vaccine without paying?", "flu")]
    [InlineData("Who should be alerted when an HTTPS certificate is about to lapse?", "certs")]
    [InlineData("Can I get into the building late in the evening?", "hours")]
    public async Task A_paraphrased_question_retrieves_the_right_document_first(string question, string documentId)
    {
        var (knowledge, tenant) = NewKnowledgeBases();
        await knowledge.IngestAsync(tenant, "handbook", TenDocuments, TestContext.Current.CancellationToken);

        var chunks = await knowledge.RetrieveAsync(tenant, "handbook", question, 3, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(documentId, chunks[0].DocumentId);
    }

    [Fact]
    public async Task Retrieved_chunks_carry_their_document_source_position_and_metadata()
    {
        var (knowledge, tenant) = NewKnowledgeBases();
        var metadata = new Dictionary<string, string> { ["team"] = "platform" };
        var text = string.Join(" ", Enumerable.Range(1, 60).Select(i => $"Runbook step {i} restarts worker pool {i} after draining its queue."));

        var ingested = await knowledge.IngestAsync(tenant, "runbooks",
            [new KnowledgeDocument(text) { Id = "restart", Source = "runbooks/restart.md", Metadata = metadata }], TestContext.Current.CancellationToken);

        var document = Assert.Single(ingested);
        Assert.Equal("restart", document.DocumentId);
        Assert.True(document.ChunkIds.Count > 1, "a document of 60 sentences is more than one 200-token chunk");
        var chunks = await knowledge.RetrieveAsync(tenant, "runbooks", "draining the queue of worker pool 42", 3, mode: RetrievalMode.Keyword,
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEmpty(chunks);
        Assert.All(chunks, chunk =>
        {
            Assert.Equal("restart", chunk.DocumentId);
            Assert.Equal("runbooks/restart.md", chunk.Source);
            Assert.Equal(metadata, chunk.Metadata);
            Assert.Contains(chunk.ChunkId, document.ChunkIds);
            Assert.Equal(document.ChunkIds.ToList().IndexOf(chunk.ChunkId), chunk.Position);
            Assert.Contains(chunk.Text, text, StringComparison.Ordinal);
        });
        Assert.Contains("pool 42 ", chunks[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenant_cannot_read_a_knowledge_base_it_does_not_have()
    {
        var (knowledge, tenantA) = NewKnowledgeBases();
        var tenantB = tenantA + "-b";
        await knowledge.IngestAsync(tenantA, "policies", TenDocuments, TestContext.Current.CancellationToken);

        var missing = await Assert.ThrowsAsync<KnowledgeBaseNotFoundException>(() =>
            knowledge.RetrieveAsync(tenantB, "policies", "paid vacation", 5, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("knowledge base 'policies' not found", missing.Message);
        Assert.False(await knowledge.ExistsAsync(tenantB, "policies", TestContext.Current.CancellationToken));
        Assert.Empty(await knowledge.ListAsync(tenantB, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<KnowledgeBaseNotFoundException>(() =>
            knowledge.DeleteDocumentAsync(tenantB, "policies", "vacation", TestContext.Current.CancellationToken));

        // B's own knowledge base of the same name holds B's documents only, in every mode.
        await knowledge.IngestAsync(tenantB, "policies", [new KnowledgeDocument("Vacation is unlimited at tenant B.") { Id = "b-vacation" }],
            TestContext.Current.CancellationToken);
        foreach (var mode in Enum.GetValues<RetrievalMode>())
        {
            var chunks = await knowledge.RetrieveAsync(tenantB, "policies", "paid vacation days each month", 10, mode: mode,
                cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(["b-vacation"], chunks.Select(chunk => chunk.DocumentId));
        }

        Assert.Equal(["policies"], await knowledge.ListAsync(tenantA, TestContext.Current.CancellationToken));
        Assert.True(await knowledge.ExistsAsync(tenantA, "policies", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_deleted_document_leaves_vector_and_keyword_results()
    {
        var (knowledge, tenant) = NewKnowledgeBases();
        await knowledge.IngestAsync(tenant, "kb", TenDocuments, TestContext.Current.CancellationToken);
        const string Question = "sourdough flour water salt fermentation";
        Assert.All(await RetrieveEveryModeAsync(knowledge, tenant, Question), chunks => Assert.Equal("sourdough", chunks[0].DocumentId));

        Assert.True(await knowledge.DeleteDocumentAsync(tenant, "kb", "sourdough", TestContext.Current.CancellationToken));

        Assert.All(await RetrieveEveryModeAsync(knowledge, tenant, Question),
            chunks => Assert.DoesNotContain(chunks, chunk => chunk.DocumentId == "sourdough"));
        Assert.False(await knowledge.DeleteDocumentAsync(tenant, "kb", "sourdough", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Ingesting_a_document_id_again_replaces_its_chunks()
    {
        var (knowledge, tenant) = NewKnowledgeBases();
        var longText = string.Join(" ", Enumerable.Range(1, 80).Select(i => $"Warehouse rule {i}: pallets in aisle {i} are stacked at most three high."));
        var first = await knowledge.IngestAsync(tenant, "kb", [new KnowledgeDocument(longText) { Id = "rules" }], TestContext.Current.CancellationToken);
        Assert.True(first[0].ChunkIds.Count > 2);

        var second = await knowledge.IngestAsync(tenant, "kb",
            [new KnowledgeDocument("Forklifts are charged overnight in bay four.") { Id = "rules", Source = "v2" }], TestContext.Current.CancellationToken);

        Assert.Equal(["rules:0"], second[0].ChunkIds);
        foreach (var chunks in await RetrieveEveryModeAsync(knowledge, tenant, "pallets stacked in the aisle by forklifts", topK: 20))
        {
            var chunk = Assert.Single(chunks);
            Assert.Equal(("rules:0", "v2", "Forklifts are charged overnight in bay four."), (chunk.ChunkId, chunk.Source, chunk.Text));
        }
    }

    [Fact]
    public async Task A_document_without_an_id_is_keyed_by_its_text()
    {
        var (knowledge, tenant) = NewKnowledgeBases();
        var document = new KnowledgeDocument("The loading dock closes at noon on Saturdays.");

        var first = await knowledge.IngestAsync(tenant, "kb", [document], TestContext.Current.CancellationToken);
        var again = await knowledge.IngestAsync(tenant, "kb", [document], TestContext.Current.CancellationToken);

        Assert.Equal(first[0].DocumentId, again[0].DocumentId);
        Assert.StartsWith("doc-", first[0].DocumentId, StringComparison.Ordinal);
        Assert.Single(await knowledge.RetrieveAsync(tenant, "kb", "dock", 10, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Mixing_embedding_models_is_refused_until_the_knowledge_base_is_reembedded()
    {
        using var store = new InMemoryVectorStore();
        var tenant = NewTenant();
        var local = new KnowledgeBases(store, new LocalEmbeddingGenerator());
        var tfidf = new KnowledgeBases(store, embeddings: null);
        await local.IngestAsync(tenant, "kb", TenDocuments, TestContext.Current.CancellationToken);

        var ingest = await Assert.ThrowsAsync<VectorModelMismatchException>(() =>
            tfidf.IngestAsync(tenant, "kb", [new KnowledgeDocument("Another document.")], TestContext.Current.CancellationToken));
        Assert.Contains(LocalEmbeddingGenerator.ModelId, ingest.Message, StringComparison.Ordinal);
        Assert.Contains("tfidf-1024", ingest.Message, StringComparison.Ordinal);
        var search = await Assert.ThrowsAsync<VectorModelMismatchException>(() =>
            tfidf.RetrieveAsync(tenant, "kb", "vacation", 3, mode: RetrievalMode.Hybrid, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains(LocalEmbeddingGenerator.ModelId, search.Message, StringComparison.Ordinal);

        // Words need no vectors: keyword retrieval still answers.
        var byWords = await tfidf.RetrieveAsync(tenant, "kb", "sourdough", 3, mode: RetrievalMode.Keyword, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("sourdough", byWords[0].DocumentId);

        Assert.Equal(TenDocuments.Length, await tfidf.ReembedAsync(tenant, "kb", TestContext.Current.CancellationToken));

        var after = await tfidf.RetrieveAsync(tenant, "kb", "sourdough flour water salt", 3, mode: RetrievalMode.Vector,
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("sourdough", after[0].DocumentId);
        await tfidf.IngestAsync(tenant, "kb", [new KnowledgeDocument("Another document.") { Id = "another" }], TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<VectorModelMismatchException>(() =>
            local.RetrieveAsync(tenant, "kb", "vacation", 3, mode: RetrievalMode.Vector, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("AND (")]
    [InlineData("*")]
    [InlineData("\"")]
    [InlineData("title:x")]
    [InlineData("vacation OR")]
    [InlineData("+-&&||!(){}[]^\"~*?:\\/")]
    [InlineData("NOT NOT NOT")]
    [InlineData("sourdough~2 AND flour^10")]
    [InlineData("the of and")]
    public async Task Lucene_syntax_in_a_query_is_just_text(string query)
    {
        var (knowledge, tenant) = NewKnowledgeBases();
        await knowledge.IngestAsync(tenant, "kb", TenDocuments, TestContext.Current.CancellationToken);

        foreach (var chunks in await RetrieveEveryModeAsync(knowledge, tenant, query))
        {
            Assert.All(chunks, chunk => Assert.Contains(chunk.DocumentId, TenDocuments.Select(document => document.Id)));
        }

        var words = await knowledge.RetrieveAsync(tenant, "kb", "sourdough~2 AND flour^10", 3, mode: RetrievalMode.Keyword,
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("sourdough", words[0].DocumentId);
    }

    [Fact]
    public async Task Filters_keep_only_chunks_whose_source_and_metadata_match()
    {
        var (knowledge, tenant) = NewKnowledgeBases();
        var documents = Enumerable.Range(0, 40).Select(i => new KnowledgeDocument($"Shipment {i} of frozen fish leaves the harbour on day {i}.")
        {
            Id = $"shipment-{i}",
            Source = i % 2 == 0 ? "even.csv" : "odd.csv",
            Metadata = new Dictionary<string, string> { ["region"] = i == 37 ? "north" : "south", ["kind"] = "shipment" },
        }).ToList();
        await knowledge.IngestAsync(tenant, "kb", documents, TestContext.Current.CancellationToken);

        var north = new Dictionary<string, string> { ["region"] = "north" };
        foreach (var chunks in await RetrieveEveryModeAsync(knowledge, tenant, "frozen fish leaving the harbour", topK: 5, filter: north))
        {
            Assert.Equal(["shipment-37"], chunks.Select(chunk => chunk.DocumentId));
        }

        var evenSouth = new Dictionary<string, string> { ["source"] = "even.csv", ["region"] = "south", ["kind"] = "shipment" };
        foreach (var chunks in await RetrieveEveryModeAsync(knowledge, tenant, "frozen fish leaving the harbour", topK: 30, filter: evenSouth))
        {
            Assert.Equal(20, chunks.Count);
            Assert.All(chunks, chunk => Assert.Equal("even.csv", chunk.Source));
        }

        var nothing = new Dictionary<string, string> { ["region"] = "west" };
        Assert.All(await RetrieveEveryModeAsync(knowledge, tenant, "frozen fish", topK: 5, filter: nothing), Assert.Empty);
    }

    [Fact]
    public async Task Without_an_embedder_a_knowledge_base_embeds_with_tfidf_fitted_on_its_chunks()
    {
        using var store = new InMemoryVectorStore();
        var knowledge = new KnowledgeBases(store, embeddings: null);
        var tenant = NewTenant();
        await knowledge.IngestAsync(tenant, "kb", TenDocuments, TestContext.Current.CancellationToken);

        var chunks = await knowledge.RetrieveAsync(tenant, "kb", "how do I freeze a card in the app", 3, mode: RetrievalMode.Vector,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("freeze", chunks[0].DocumentId);
        var collection = store.GetCollection<string, VectorEntry>(VectorCollectionNames.Knowledge(tenant, "kb"),
            VectorEntry.Definition(TfIdfEmbeddingGenerator.DefaultDimensions));
        var entry = await collection.GetAsync("freeze:0", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("tfidf-1024", entry!.EmbeddingModel);
    }

    [Fact]
    public async Task A_change_made_through_another_instance_is_searched_by_words_too()
    {
        using var store = new InMemoryVectorStore();
        var tenant = NewTenant();
        var worker1 = new KnowledgeBases(store, new LocalEmbeddingGenerator());
        var worker2 = new KnowledgeBases(store, new LocalEmbeddingGenerator());
        await worker1.IngestAsync(tenant, "kb", TenDocuments, TestContext.Current.CancellationToken);
        Assert.Empty(await worker2.RetrieveAsync(tenant, "kb", "zeppelin", 3, mode: RetrievalMode.Keyword, cancellationToken: TestContext.Current.CancellationToken));

        await worker1.IngestAsync(tenant, "kb", [new KnowledgeDocument("The zeppelin hangar is closed for repairs.") { Id = "zeppelin" }],
            TestContext.Current.CancellationToken);
        var found = await worker2.RetrieveAsync(tenant, "kb", "zeppelin", 3, mode: RetrievalMode.Keyword, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("zeppelin", Assert.Single(found).DocumentId);

        await worker1.DeleteDocumentAsync(tenant, "kb", "zeppelin", TestContext.Current.CancellationToken);
        Assert.Empty(await worker2.RetrieveAsync(tenant, "kb", "zeppelin", 3, mode: RetrievalMode.Keyword, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("x:y")]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm")]
    public async Task Invalid_names_are_refused_with_the_rule(string name)
    {
        var (knowledge, tenant) = NewKnowledgeBases();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            knowledge.IngestAsync(tenant, name, [new KnowledgeDocument("text")], TestContext.Current.CancellationToken));

        Assert.Equal("name", error.ParamName);
        Assert.Contains("1 to 64 characters of a-z, 0-9, '_' and '-'", error.Message, StringComparison.Ordinal);
        Assert.False(KnowledgeBaseNames.IsValid(name));
    }

    [Fact]
    public async Task Bad_documents_are_refused_naming_the_field()
    {
        var (knowledge, tenant) = NewKnowledgeBases();

        var twice = await Assert.ThrowsAsync<ArgumentException>(() => knowledge.IngestAsync(tenant, "kb",
            [new KnowledgeDocument("a") { Id = "same" }, new KnowledgeDocument("b") { Id = "same" }], TestContext.Current.CancellationToken));
        var noText = await Assert.ThrowsAsync<ArgumentException>(() => knowledge.IngestAsync(tenant, "kb",
            [new KnowledgeDocument(null!)], TestContext.Current.CancellationToken));

        Assert.Contains("documents[1].Id 'same' is given twice", twice.Message, StringComparison.Ordinal);
        Assert.Contains("documents[0].Text is null", noText.Message, StringComparison.Ordinal);
        Assert.False(await knowledge.ExistsAsync(tenant, "kb", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_engine_keeps_knowledge_bases_in_its_vector_store()
    {
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Embeddings = new LocalEmbeddingGenerator() });
        var tenant = NewTenant();

        await engine.Knowledge.IngestAsync(tenant, "kb", TenDocuments, TestContext.Current.CancellationToken);

        Assert.True(await engine.Vectors.CollectionExistsAsync(VectorCollectionNames.Knowledge(tenant, "kb"), TestContext.Current.CancellationToken));
        var chunks = await engine.Knowledge.RetrieveAsync(tenant, "kb", "lost card", 1, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("freeze", chunks[0].DocumentId);
    }

    private static async Task<List<IReadOnlyList<RetrievedChunk>>> RetrieveEveryModeAsync(KnowledgeBases knowledge, string tenant, string query,
        int topK = 3, IReadOnlyDictionary<string, string>? filter = null)
    {
        var results = new List<IReadOnlyList<RetrievedChunk>>();
        foreach (var mode in Enum.GetValues<RetrievalMode>())
        {
            results.Add(await knowledge.RetrieveAsync(tenant, "kb", query, topK, filter, mode, TestContext.Current.CancellationToken));
        }

        return results;
    }

    private static (KnowledgeBases Knowledge, string Tenant) NewKnowledgeBases() =>
        (new KnowledgeBases(new InMemoryVectorStore(), new LocalEmbeddingGenerator()), NewTenant());

    private static string NewTenant() => "tenant-" + Guid.NewGuid().ToString("N")[..8];
}
