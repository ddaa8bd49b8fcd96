namespace MeshFlow.Governance.Uncertainty;

/// <summary>The signals that raise an <see cref="UncertaintyEstimate"/>, as they appear in its <see cref="UncertaintyEstimate.Signals"/>.</summary>
public static class UncertaintySignals
{
    /// <summary>The output hedges: "I think", "probably", "not sure", "it is possible"...</summary>
    public const string Hedging = "hedging";

    /// <summary>The output refuses: "I can't", "I'm unable", "as an AI"...</summary>
    public const string Refusal = "refusal";

    /// <summary>The output reverses the step's own earlier output, or itself ("actually, ", "I was wrong").</summary>
    public const string Contradiction = "contradiction";

    /// <summary>The output is empty or only whitespace.</summary>
    public const string Empty = "empty";

    /// <summary>Many of the output's tokens were sampled with low probability.</summary>
    public const string LowConfidenceTokens = "low_confidence_tokens";
}
