namespace MeshFlow.Memory;

/// <summary>
/// An agent node's memory (<c>memory: { scope: agent, top_k: 5 }</c>): before its model call the agent is given the
/// memories of <paramref name="Scope"/> most relevant to its task, at most <paramref name="TopK"/>; after a committed
/// step, what it published is remembered in that scope.
/// </summary>
/// <param name="Scope">Which earlier work the memory spans.</param>
/// <param name="TopK">How many memories the agent is given at most, 1 to <see cref="MaxTopK"/>.</param>
public sealed record AgentMemoryOptions(MemoryScope Scope, int TopK = AgentMemoryOptions.DefaultTopK)
{
    /// <summary>How many memories an agent is given when its definition does not say.</summary>
    public const int DefaultTopK = 5;

    /// <summary>The most memories an agent may ask for.</summary>
    public const int MaxTopK = 50;

    /// <summary>How many memories the agent is given at most, 1 to <see cref="MaxTopK"/>.</summary>
    public int TopK { get; init; } = TopK is >= 1 and <= MaxTopK
        ? TopK
        : throw new ArgumentOutOfRangeException(nameof(TopK), TopK, $"a memory's top_k must be between 1 and {MaxTopK}");
}
