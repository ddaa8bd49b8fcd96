namespace MeshFlow.Governance.Uncertainty;

/// <summary>Where an <see cref="UncertaintyEstimate"/> came from.</summary>
public static class UncertaintySources
{
    /// <summary>The model's token log-probabilities (<see cref="UncertaintyEstimator.FromLogProbabilities"/>).</summary>
    public const string LogProbs = "logprobs";

    /// <summary>The output's text (<see cref="UncertaintyEstimator.FromText"/>).</summary>
    public const string Heuristic = "heuristic";
}
