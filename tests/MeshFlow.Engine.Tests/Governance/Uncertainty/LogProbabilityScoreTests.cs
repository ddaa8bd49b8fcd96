using MeshFlow.Governance.Uncertainty;

namespace MeshFlow.Tests.Governance.Uncertainty;

public sealed class LogProbabilityScoreTests
{
    [Fact]
    public void Certain_tokens_score_about_zero()
    {
        var estimate = UncertaintyEstimator.FromLogProbabilities([0, -0.0001, -0.001, 0, -0.0005]);

        Assert.True(estimate.Score < 0.01);
        Assert.Empty(estimate.Signals);
        Assert.Equal(UncertaintySources.LogProbs, estimate.Source);
    }

    [Fact]
    public void Very_unlikely_tokens_score_high()
    {
        var estimate = UncertaintyEstimator.FromLogProbabilities([-5, -6, -4.5, -7]);

        Assert.True(estimate.Score > 0.95);
        Assert.Equal([UncertaintySignals.LowConfidenceTokens], estimate.Signals);
    }

    [Fact]
    public void A_few_coin_flip_tokens_among_certain_ones_still_count()
    {
        double[] mostlyCertain = [.. Enumerable.Repeat(-0.01, 18), -1.2, -1.5];
        double[] allCertain = [.. Enumerable.Repeat(-0.01, 20)];

        var mixed = UncertaintyEstimator.FromLogProbabilities(mostlyCertain).Score;
        var certain = UncertaintyEstimator.FromLogProbabilities(allCertain).Score;

        Assert.True(mixed > certain + 0.05);
        Assert.True(mixed < 0.3);
    }

    [Fact]
    public void The_mapping_is_the_documented_one()
    {
        // mean log p = -0.5, so 1 - exp(-0.5) = 0.3935; one token of two is below ln 0.5.
        var estimate = UncertaintyEstimator.FromLogProbabilities([-0.1, -0.9]);

        Assert.Equal((0.6 * (1 - Math.Exp(-0.5))) + (0.4 * 0.5), estimate.Score, 9);
    }

    [Fact]
    public void Odd_values_keep_the_score_within_zero_and_one()
    {
        double[][] cases =
        [
            [], [double.NaN], [double.NegativeInfinity], [double.PositiveInfinity, 3], [double.MinValue, 0],
            [double.NaN, -0.2, double.NegativeInfinity],
        ];

        foreach (var logProbs in cases)
        {
            Assert.InRange(UncertaintyEstimator.FromLogProbabilities(logProbs).Score, 0, 1);
        }

        Assert.Equal(0.5, UncertaintyEstimator.FromLogProbabilities([]).Score);
        Assert.Equal(0.0, UncertaintyEstimator.FromLogProbabilities([5, 1]).Score);
    }

    [Fact]
    public void Combined_estimates_take_the_text_signal_when_the_tokens_were_sure()
    {
        double[] sure = [-0.01, -0.02, -0.01];

        var refusal = UncertaintyEstimator.Estimate("I can't help with that.", null, sure);
        var plain = UncertaintyEstimator.Estimate("The cap is 12 months of fees.", null, sure);
        var textOnly = UncertaintyEstimator.Estimate("Probably.", null, []);

        Assert.Equal((UncertaintySources.Heuristic, 0.9), (refusal.Source, refusal.Score));
        Assert.Equal(UncertaintySources.LogProbs, plain.Source);
        Assert.True(plain.Score < 0.05);
        Assert.Equal(UncertaintyEstimator.FromText("Probably.", null), textOnly);
    }

    [Fact]
    public void An_estimate_outside_zero_and_one_cannot_be_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UncertaintyEstimate(1.01, UncertaintySources.Heuristic, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UncertaintyEstimate(double.NaN, UncertaintySources.Heuristic, []));
        Assert.Empty(default(UncertaintyEstimate).Signals);
        Assert.Equal(UncertaintySources.Heuristic, default(UncertaintyEstimate).Source);
    }
}
