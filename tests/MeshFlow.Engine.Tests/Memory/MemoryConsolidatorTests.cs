using MeshFlow.Memory;
using MeshFlow.Retrieval.Vectors;

namespace MeshFlow.Tests.Memory;

public sealed class MemoryConsolidatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly MemoryConsolidator Consolidator = new(new AgentMemoryStoreOptions { MaxEntriesPerScope = 3 });

    private static VectorEntry Entry(string key, string text = "a memory of something", int minutesUsed = 0, int uses = 0, int minutesCreated = 0) => new()
    {
        Key = key, TenantId = "t", Scope = "tenant", Text = text, EmbeddingModel = "m", Vector = new float[] { 1f },
        CreatedAt = Start.AddMinutes(minutesCreated), LastUsedAt = Start.AddMinutes(minutesUsed), UseCount = uses,
    };

    [Fact]
    public void A_neighbour_at_or_above_the_similarity_threshold_is_the_duplicate_and_the_closest_wins()
    {
        var (far, near, nearer) = (Entry("far"), Entry("near"), Entry("nearer"));

        Assert.Same(nearer, Consolidator.FindDuplicate([(far, 0.5), (near, 0.9), (nearer, 0.97)]));
        Assert.Null(Consolidator.FindDuplicate([(far, 0.5), (near, 0.899)]));
        Assert.Null(Consolidator.FindDuplicate([]));
    }

    [Fact]
    public void Without_embeddings_the_same_text_or_a_high_word_overlap_is_a_duplicate()
    {
        var stored = Entry("a", "The client prefers email over phone calls for status updates.");
        var other = Entry("b", "Invoices are due within thirty days of delivery.");

        Assert.Same(stored, Consolidator.FindDuplicate("the client PREFERS email over phone calls, for status updates!", [other, stored]));
        Assert.Same(stored, Consolidator.FindDuplicate("The client prefers email over phone calls for weekly status updates.", [other, stored]));
        Assert.Null(Consolidator.FindDuplicate("The client prefers video calls for quarterly reviews.", [other, stored]));
    }

    [Fact]
    public void A_merge_keeps_the_key_and_creation_time_takes_the_newer_text_and_run_and_counts_a_use()
    {
        var existing = Entry("mem_1", "The renewal is due in March.", minutesUsed: 5, uses: 2) with { RunId = "run_a" };
        var newer = Entry("mem_2", "The renewal is due on 14 March.", minutesUsed: 60, minutesCreated: 60) with { RunId = "run_b", Vector = new float[] { 0.5f } };

        var merged = MemoryConsolidator.Merge(existing, newer);

        Assert.Equal("mem_1", merged.Key);
        Assert.Equal(existing.CreatedAt, merged.CreatedAt);
        Assert.Equal("The renewal is due on 14 March.", merged.Text);
        Assert.Equal("run_b", merged.RunId);
        Assert.Equal(0.5f, merged.Vector.Span[0]);
        Assert.Equal(3, merged.UseCount);
        Assert.Equal(newer.LastUsedAt, merged.LastUsedAt);
    }

    [Fact]
    public void Eviction_takes_the_least_recently_used_then_the_least_used_then_the_oldest_then_by_key()
    {
        var entries = new[]
        {
            Entry("recent", minutesUsed: 50),
            Entry("old-used-often", minutesUsed: 10, uses: 9),
            Entry("old-used-once", minutesUsed: 10, uses: 1),
            Entry("oldest-use", minutesUsed: 1, uses: 40),
            Entry("tie-b", minutesUsed: 20, uses: 2, minutesCreated: 3),
            Entry("tie-a", minutesUsed: 20, uses: 2, minutesCreated: 3),
            Entry("tie-older", minutesUsed: 20, uses: 2, minutesCreated: 1),
        };

        var order = entries.Order(MemoryConsolidator.EvictionOrder).Select(e => e.Key);

        Assert.Equal(["oldest-use", "old-used-once", "old-used-often", "tie-older", "tie-a", "tie-b", "recent"], order);
    }

    [Fact]
    public void A_scope_within_its_budget_loses_nothing_and_one_over_it_loses_the_excess_in_eviction_order()
    {
        var three = new[] { Entry("a", minutesUsed: 3), Entry("b", minutesUsed: 1), Entry("c", minutesUsed: 2) };
        var five = three.Append(Entry("d", minutesUsed: 0)).Append(Entry("e", minutesUsed: 9)).ToArray();

        Assert.Empty(Consolidator.SelectEvictions(three));
        Assert.Equal(["d", "b"], Consolidator.SelectEvictions(five).Select(e => e.Key));
    }
}
