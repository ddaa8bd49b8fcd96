namespace MeshFlow.Memory;

/// <summary>How agent memory purifies, merges, keeps and ranks what agents remember.</summary>
public sealed class AgentMemoryStoreOptions
{
    /// <summary>The most memories one scope keeps (default 200); beyond it the oldest-used and least-used go first.</summary>
    public int MaxEntriesPerScope { get; set; } = 200;

    /// <summary>
    /// The cosine similarity from which a new memory is the same as one its scope holds and is merged into it (default 0.9).
    /// </summary>
    public double DuplicateSimilarity { get; set; } = 0.9;

    /// <summary>
    /// Without an embedding generator: the share of content words (Jaccard) from which a new memory is the same as one
    /// its scope holds (default 0.8).
    /// </summary>
    public double KeywordDuplicateSimilarity { get; set; } = 0.8;

    /// <summary>
    /// The least cosine similarity to the query a recalled memory has (default 0.2), so that an agent is not handed
    /// memories unrelated to its task; without an embedding generator, a memory must share a content word with it.
    /// </summary>
    public double MinRelevance { get; set; } = 0.2;

    /// <summary>The longest memory in characters (default <see cref="ObservationPurifier.DefaultMaxLength"/>).</summary>
    public int MaxLength { get; set; } = ObservationPurifier.DefaultMaxLength;
}
