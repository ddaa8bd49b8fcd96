namespace MeshFlow.Memory;

/// <summary>One thing an agent remembers.</summary>
/// <param name="Id">The memory's key in its tenant's memory collection.</param>
/// <param name="Scope">The scope key it is kept under (<see cref="MemoryScopes"/>).</param>
/// <param name="Text">What is remembered, purified.</param>
public sealed record AgentMemory(string Id, string Scope, string Text)
{
    /// <summary>The run that wrote it (last, when merged), or null.</summary>
    public string? RunId { get; init; }

    /// <summary>When it was first written.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last written again or recalled.</summary>
    public DateTimeOffset LastUsedAt { get; init; }

    /// <summary>How many times it was recalled or written again.</summary>
    public int UseCount { get; init; }

    /// <summary>
    /// For a recalled memory, its relevance to the query: cosine similarity with embeddings, the keyword overlap without;
    /// 0 for a memory just written.
    /// </summary>
    public double Score { get; init; }
}
