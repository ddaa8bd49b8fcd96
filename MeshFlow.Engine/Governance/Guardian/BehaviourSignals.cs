namespace MeshFlow.Governance.Guardian;

/// <summary>The signals a <see cref="BehaviourMonitor"/> reports, as they appear in <see cref="BehaviourFinding.Signal"/>.</summary>
public static class BehaviourSignals
{
    /// <summary>The agent gave the same output (ordinal, trimmed) <see cref="BehaviourThresholds.RepeatCount"/> times in the run.</summary>
    public const string RepeatedOutput = "repeated_output";

    /// <summary>The agent's last passes through a loop are near-identical without being identical: the loop no longer changes anything.</summary>
    public const string StalledLoop = "stalled_loop";

    /// <summary>The step used far more tokens than the agent's steps so far.</summary>
    public const string TokenSpike = "token_spike";

    /// <summary>The step cost far more than the agent's paid steps so far.</summary>
    public const string CostSpike = "cost_spike";
}
