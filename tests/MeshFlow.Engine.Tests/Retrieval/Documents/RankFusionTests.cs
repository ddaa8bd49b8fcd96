using MeshFlow.Embeddings.MiniLM;
using MeshFlow.Retrieval.Documents;
using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Tests.Retrieval.Documents;

public sealed class RankFusionTests
{
    [Fact]
    public void Scores_are_the_sum_of_reciprocal_ranks_with_k_60()
    {
        var fused = RankFusion.Fuse(["a", "b", "c"], ["c", "a"]);

        Assert.Equal(["a", "c", "b"], fused.Select(hit => hit.Key));
        Assert.Equal(1.0 / 61 + 1.0 / 62, fused[0].Score, 12);
        Assert.Equal(1.0 / 63 + 1.0 / 61, fused[1].Score, 12);
        Assert.Equal(1.0 / 62, fused[2].Score, 12);
    }

    [Fact]
    public void Ties_keep_the_order_in_which_keys_first_appear()
    {
        var fused = RankFusion.Fuse(["x", "y"], ["y", "x"]);

        Assert.Equal(["x", "y"], fused.Select(hit => hit.Key));
        Assert.Equal(fused[0].Score, fused[1].Score);
    }

    [Fact]
    public async Task Hybrid_retrieval_finds_an_exact_identifier_that_only_the_words_carry()
    {
        using var store = new InMemoryVectorStore();
        var knowledge = new KnowledgeBases(store, new LocalEmbeddingGenerator());
        var documents = Enumerable.Range(4400, 30).Select(code => new KnowledgeDocument(
            $"Error QX-{code} means the export job stopped; restart the exporter and check the disk quota.") { Id = $"qx-{code}" }).ToList();
        await knowledge.IngestAsync("fusion", "errors", documents, TestContext.Current.CancellationToken);

        var hybrid = await knowledge.RetrieveAsync("fusion", "errors", "what does QX-4417 mean", 3, mode: RetrievalMode.Hybrid,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("qx-4417", hybrid[0].DocumentId);
    }
}
