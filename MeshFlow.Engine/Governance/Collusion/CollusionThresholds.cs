namespace MeshFlow.Governance.Collusion;

/// <summary>When a <see cref="CollusionAuditor"/> reports a pattern, and how much it reads.</summary>
public sealed record CollusionThresholds
{
    /// <summary>The defaults below.</summary>
    public static CollusionThresholds Default { get; } = new();

    /// <summary>
    /// The share, in (0, 1], of an input's word triples an approving output repeats (or of the output's word triples
    /// copied from the input) that makes it an echo.
    /// </summary>
    public double EchoOverlap { get; init; } = 0.8;

    /// <summary>
    /// The fewest word triples (about that many words plus two) that count as content: an input shorter than this
    /// cannot be echoed, and an output with fewer triples of its own (not found in its inputs) has no substance.
    /// </summary>
    public int MinContentShingles { get; init; } = 8;

    /// <summary>The shortest tool argument (after collapsing whitespace) that is looked for in another agent's output.</summary>
    public int MinArgumentLength { get; init; } = 12;

    /// <summary>
    /// How many characters of an output, input or argument are compared: the head of a 1 MiB output is where an echo
    /// or a prepared command shows, and it bounds the work and memory per step.
    /// </summary>
    public int MaxComparedChars { get; init; } = 64 * 1024;

    /// <summary>How many recent outputs of tool-restricted agents are kept to trace a tool call's arguments back to.</summary>
    public int RecentOutputs { get; init; } = 32;
}
