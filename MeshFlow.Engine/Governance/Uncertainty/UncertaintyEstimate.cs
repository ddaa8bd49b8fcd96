namespace MeshFlow.Governance.Uncertainty;

/// <summary>How unsure an agent step's output is, from 0 (certain) to 1, and what made it so.</summary>
/// <remarks>The scale and what escalates are documented on <see cref="UncertaintyEstimator"/>.</remarks>
public readonly record struct UncertaintyEstimate
{
    // Backed by nullable fields so that default(UncertaintyEstimate) reads as a confident heuristic estimate.
    private readonly string? _source;
    private readonly IReadOnlyList<string>? _signals;

    /// <summary>An estimate.</summary>
    /// <param name="score">The score, in [0, 1].</param>
    /// <param name="source">Where it came from, one of <see cref="UncertaintySources"/>.</param>
    /// <param name="signals">What raised it, from <see cref="UncertaintySignals"/>; empty when nothing did.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is not in [0, 1].</exception>
    public UncertaintyEstimate(double score, string source, IReadOnlyList<string> signals)
    {
        if (!(score is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "an uncertainty score is in [0, 1]");
        }

        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(signals);
        Score = score;
        _source = source;
        _signals = signals;
    }

    /// <summary>0 for a certain output, 1 for one that should not be relied on.</summary>
    public double Score { get; }

    /// <summary><c>logprobs</c> or <c>heuristic</c> (<see cref="UncertaintySources"/>).</summary>
    public string Source => _source ?? UncertaintySources.Heuristic;

    /// <summary>What raised the score (<c>hedging</c>, <c>refusal</c>, <c>contradiction</c>...); empty when nothing did.</summary>
    public IReadOnlyList<string> Signals => _signals ?? [];
}
