using MeshFlow.Memory;
using MeshFlow.Retrieval.Embeddings;
using MeshFlow.Retrieval.Vectors;
using MeshFlow.Tests.Retrieval.Documents;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Tests.Memory;

public sealed class AgentMemoryWriteBackTests
{
    private const string Tenant = "acme";
    private const string Scope = "agent:research:analyst";

    [Fact]
    public async Task A_recall_after_an_erasure_does_not_revive_the_erased_memory()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var vectors = new InMemoryVectorStore();
        var store = new AgentMemoryStore(vectors, embeddings: null);
        var erased = await store.AddAsync(Tenant, Scope, "The Hartwell renewal needs legal review of the indemnity cap.", "run_1", cancellationToken);
        var kept = await store.AddAsync(Tenant, Scope, "The Hartwell renewal is owned by the London office.", "run_2", cancellationToken);
        var collection = vectors.GetCollection<string, VectorEntry>(VectorCollectionNames.Memory(Tenant), VectorEntry.Definition(1));
        await collection.DeleteAsync(erased!.Id, cancellationToken);

        var recalled = await store.RetrieveRelevantAsync(Tenant, Scope, "Hartwell renewal", topK: 5, cancellationToken);

        Assert.Equal(kept!.Id, Assert.Single(recalled).Id);
        Assert.Null(await collection.GetAsync(erased.Id, cancellationToken: cancellationToken));
    }

    [Fact]
    public async Task A_recall_counts_its_use_on_the_stored_record_and_keeps_its_vector()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var vectors = new InMemoryVectorStore();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var store = new AgentMemoryStore(vectors, new RecordingEmbeddingGenerator(), timeProvider: time);
        var added = await store.AddAsync(Tenant, Scope, "The Hartwell renewal needs legal review of the indemnity cap.", "run_1", cancellationToken);
        var collection = vectors.GetCollection<string, VectorEntry>(VectorCollectionNames.Memory(Tenant), VectorEntry.Definition(26));
        var before = await collection.GetAsync(added!.Id, new() { IncludeVectors = true }, cancellationToken);
        time.Advance(TimeSpan.FromHours(1));

        await store.RetrieveRelevantAsync(Tenant, Scope, "Hartwell renewal legal review", topK: 1, cancellationToken);
        await store.RetrieveRelevantAsync(Tenant, Scope, "Hartwell renewal legal review", topK: 1, cancellationToken);

        var after = await collection.GetAsync(added.Id, new() { IncludeVectors = true }, cancellationToken);
        Assert.Equal(2, after!.UseCount);
        Assert.Equal(time.GetUtcNow(), after.LastUsedAt);
        Assert.Equal(before!.Text, after.Text);
        // The store normalizes what it is given, so a vector written back again may differ in its last bits.
        Assert.Equal(before.Vector.ToArray(), after.Vector.ToArray(), (expected, actual) => Math.Abs(expected - actual) < 1e-5f);
    }

    [Fact]
    public async Task Memories_are_embedded_as_documents_and_recall_queries_as_queries()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var embedder = new RecordingEmbeddingGenerator();
        var store = new AgentMemoryStore(new InMemoryVectorStore(), embedder);

        await store.AddAsync(Tenant, Scope, "The Hartwell renewal needs legal review of the indemnity cap.", "run_1", cancellationToken);
        var afterAdd = embedder.Calls.Count;
        await store.RetrieveRelevantAsync(Tenant, Scope, "Hartwell renewal", topK: 1, cancellationToken);
        var afterRecall = embedder.Calls.Count;
        await store.ReembedAsync(Tenant, cancellationToken);

        Assert.All(embedder.Calls.Take(afterAdd), call => Assert.Equal(EmbeddingInputType.Document, call.InputType));
        Assert.Equal(EmbeddingInputType.Query, embedder.Calls[afterAdd].InputType);
        Assert.Equal(["Hartwell renewal"], embedder.Calls[afterAdd].Texts);
        Assert.Equal(afterAdd + 1, afterRecall);
        Assert.All(embedder.Calls.Skip(afterRecall), call => Assert.Equal(EmbeddingInputType.Document, call.InputType));
    }
}
