namespace MeshFlow.Governance.Guardian;

/// <summary>When a <see cref="BehaviourMonitor"/> reports a signal.</summary>
public sealed record BehaviourThresholds
{
    /// <summary>The defaults below.</summary>
    public static BehaviourThresholds Default { get; } = new();

    /// <summary>How many times an agent gives the same output before <see cref="BehaviourSignals.RepeatedOutput"/>; at least 2.</summary>
    public int RepeatCount { get; init; } = 3;

    /// <summary>
    /// The least similarity, in (0, 1], between every two of the agent's last <see cref="StalledPasses"/> outputs for
    /// <see cref="BehaviourSignals.StalledLoop"/>: the Jaccard index of their sets of word pairs.
    /// </summary>
    public double StalledSimilarity { get; init; } = 0.95;

    /// <summary>How many consecutive loop passes must be near-identical for <see cref="BehaviourSignals.StalledLoop"/>; at least 2.</summary>
    public int StalledPasses { get; init; } = 3;

    /// <summary>How many times the agent's mean a step's tokens or cost must exceed to be a spike; more than 1.</summary>
    public double SpikeFactor { get; init; } = 5.0;

    /// <summary>How many of the agent's steps make a mean before a spike can be reported; at least 1.</summary>
    public int MinBaseline { get; init; } = 3;
}
