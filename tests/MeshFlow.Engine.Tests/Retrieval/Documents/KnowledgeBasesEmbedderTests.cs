using MeshFlow.Retrieval.Documents;
using MeshFlow.Retrieval.Embeddings;
using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Tests.Retrieval.Documents;

public sealed class KnowledgeBasesEmbedderTests
{
    private static readonly KnowledgeDocument[] Documents =
    [
        new("The card can be frozen in the app under Cards, then Freeze card.") { Id = "freeze" },
        new("A replacement card is sent within five working days of the request.") { Id = "replace" },
        new("The card works abroad; the app shows the exchange rate before each payment.") { Id = "abroad" },
    ];

    [Fact]
    public async Task A_tfidf_embedder_given_as_the_engines_is_fitted_per_knowledge_base_like_none()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var fittedStore = new InMemoryVectorStore();
        using var givenStore = new InMemoryVectorStore();
        using var tfidf = new TfIdfEmbeddingGenerator();
        var fitted = new KnowledgeBases(fittedStore, embeddings: null);
        var given = new KnowledgeBases(givenStore, tfidf);
        await fitted.IngestAsync("tenant-a", "kb", Documents, cancellationToken);
        await given.IngestAsync("tenant-a", "kb", Documents, cancellationToken);

        var expected = await fitted.RetrieveAsync("tenant-a", "kb", "freeze my card", 3, mode: RetrievalMode.Vector, cancellationToken: cancellationToken);
        var actual = await given.RetrieveAsync("tenant-a", "kb", "freeze my card", 3, mode: RetrievalMode.Vector, cancellationToken: cancellationToken);

        // An unfitted TF-IDF weighs "card", in every document, like "freeze"; the fitted one does not, so the scores differ.
        Assert.Equal("freeze", actual[0].DocumentId);
        Assert.Equal(expected.Select(chunk => (chunk.DocumentId, chunk.Score)), actual.Select(chunk => (chunk.DocumentId, chunk.Score)));
    }

    [Fact]
    public async Task Chunks_are_embedded_as_documents_and_queries_as_queries()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var store = new InMemoryVectorStore();
        var embedder = new RecordingEmbeddingGenerator();
        var knowledge = new KnowledgeBases(store, embedder);
        await knowledge.IngestAsync("tenant-a", "kb", Documents, cancellationToken);
        var ingestCalls = embedder.Calls.Count;

        await knowledge.RetrieveAsync("tenant-a", "kb", "freeze my card", 1, mode: RetrievalMode.Vector, cancellationToken: cancellationToken);
        var retrieveCalls = embedder.Calls.Skip(ingestCalls).ToList();
        await knowledge.ReembedAsync("tenant-a", "kb", cancellationToken);
        var reembedCalls = embedder.Calls.Skip(ingestCalls + retrieveCalls.Count).ToList();

        Assert.All(embedder.Calls.Take(ingestCalls), call => Assert.Equal(EmbeddingInputType.Document, call.InputType));
        Assert.Contains(embedder.Calls.Take(ingestCalls), call => call.Texts.Contains(Documents[0].Text));
        Assert.Equal(EmbeddingInputType.Query, Assert.Single(retrieveCalls).InputType);
        Assert.Equal(["freeze my card"], retrieveCalls[0].Texts);
        Assert.NotEmpty(reembedCalls);
        Assert.All(reembedCalls, call => Assert.Equal(EmbeddingInputType.Document, call.InputType));
    }

    [Fact]
    public async Task A_failed_embedder_probe_is_retried_by_the_next_call()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var store = new InMemoryVectorStore();
        var knowledge = new KnowledgeBases(store, new RecordingEmbeddingGenerator(failures: 1));

        await Assert.ThrowsAsync<HttpRequestException>(() => knowledge.IngestAsync("tenant-a", "kb", Documents, cancellationToken));
        var ingested = await knowledge.IngestAsync("tenant-a", "kb", Documents, cancellationToken);

        Assert.Equal(["freeze", "replace", "abroad"], ingested.Select(document => document.DocumentId));
        Assert.NotEmpty(await knowledge.RetrieveAsync("tenant-a", "kb", "freeze my card", 1, mode: RetrievalMode.Vector, cancellationToken: cancellationToken));
    }
}
