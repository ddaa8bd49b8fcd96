using MeshFlow.Governance.Uncertainty;

namespace MeshFlow.Tests.Governance.Uncertainty;

public sealed class UncertaintyTextSignalTests
{
    [Theory]
    [InlineData("The clause is enforceable under New York law.")]
    [InlineData("Use a HashSet<string> for the lookups.")]
    [InlineData("Blood pressure 128/82, heart rate 71, afebrile.")]
    public void Confident_plain_text_scores_under_0_3_with_no_signal(string text)
    {
        var estimate = UncertaintyEstimator.FromText(text, previousOutput: null);

        Assert.True(estimate.Score < 0.3, estimate.Score.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(estimate.Signals);
        Assert.Equal(UncertaintySources.Heuristic, estimate.Source);
    }

    [Theory]
    [InlineData("I think so.")]
    [InlineData("Probably.")]
    [InlineData("It might.")]
    [InlineData("I'm not sure.")]
    [InlineData("It is possible.")]
    [InlineData("As far as I know, yes.")]
    [InlineData("I believe so.")]
    [InlineData("Perhaps.")]
    [InlineData("Unclear.")]
    [InlineData("It may or may not apply.")]
    [InlineData("I’M NOT CERTAIN.")]
    public void Each_hedge_scores_in_the_hedging_band(string text)
    {
        var estimate = UncertaintyEstimator.FromText(text, previousOutput: null);

        Assert.Equal([UncertaintySignals.Hedging], estimate.Signals);
        Assert.InRange(estimate.Score, 0.4, 0.8);
    }

    [Fact]
    public void More_hedges_per_sentence_score_higher()
    {
        var one = UncertaintyEstimator.FromText("The fee is due in March. It applies to renewals. It might include VAT. Payment is by wire.", null);
        var dense = UncertaintyEstimator.FromText("I think the fee is probably due in March, but I'm not sure.", null);

        Assert.True(dense.Score > one.Score);
        Assert.InRange(one.Score, 0.4, 0.8);
        Assert.Equal(0.75, dense.Score, 3);
    }

    [Theory]
    [InlineData("I can't do that.")]
    [InlineData("I cannot help with that request.")]
    [InlineData("I'm unable to share it.")]
    [InlineData("I won't write that.")]
    [InlineData("As an AI, I have no opinion on the merger.")]
    [InlineData("i’m unable to open the file")]
    public void A_refusal_scores_at_least_0_85(string text)
    {
        var estimate = UncertaintyEstimator.FromText(text, previousOutput: null);

        Assert.Contains(UncertaintySignals.Refusal, estimate.Signals);
        Assert.True(estimate.Score >= 0.85);
    }

    [Theory]
    [InlineData("Actually, the notice period is 90 days.")]
    [InlineData("The cap is $1M. Actually, it is $2M.")]
    [InlineData("I was wrong about the renewal date.")]
    [InlineData("Correction: the dose is 5 mg.")]
    public void A_reversal_phrase_is_a_contradiction(string text)
    {
        var estimate = UncertaintyEstimator.FromText(text, previousOutput: null);

        Assert.Equal([UncertaintySignals.Contradiction], estimate.Signals);
        Assert.Equal(0.75, estimate.Score, 3);
    }

    [Theory]
    [InlineData("Yes, the clause is enforceable.", "No, the clause is not enforceable.")]
    [InlineData("Approved: the invoice matches the PO.", "The invoice is rejected; the PO number differs.")]
    [InlineData("The function returns true for empty input.", "The function returns false for empty input.")]
    [InlineData("The claim is valid.", "The claim isn't valid.")]
    [InlineData("The total is 1,250.", "The total is 1,520.")]
    [InlineData("42", "41.5")]
    public void Reversing_the_previous_output_is_a_contradiction(string previous, string current)
    {
        var estimate = UncertaintyEstimator.FromText(current, previous);

        Assert.Equal([UncertaintySignals.Contradiction], estimate.Signals);
        Assert.True(estimate.Score >= 0.5);
    }

    [Theory]
    [InlineData("Yes, the clause is enforceable.", "Yes. It is enforceable in all fifty states.")]
    [InlineData("Approved.", "The invoice is approved after the second review.")]
    [InlineData("The total is 1,250.", "Total: 1,250.00 including tax.")]
    [InlineData("The claim is valid.", "The claim is not invalid.")]
    [InlineData("No issues found in the lease.", "The lease has no issues.")]
    [InlineData("1. Check the indemnity.\n2. Check the cap.", "1. Check the cap.\n2. Check the term.")]
    public void Agreeing_with_the_previous_output_is_not_a_contradiction(string previous, string current)
    {
        var estimate = UncertaintyEstimator.FromText(current, previous);

        Assert.DoesNotContain(UncertaintySignals.Contradiction, estimate.Signals);
    }

    [Fact]
    public void Long_outputs_with_different_numbers_are_not_compared_by_number()
    {
        var previous = "Section 4 sets the fee at 3% of revenue. " + new string('x', 300);
        var current = "Section 5 sets the term at 24 months. " + new string('y', 300);

        Assert.DoesNotContain(UncertaintySignals.Contradiction, UncertaintyEstimator.FromText(current, previous).Signals);
    }

    [Fact]
    public void An_empty_output_scores_as_uncertain()
    {
        var estimate = UncertaintyEstimator.FromText("  \n ", previousOutput: "Yes.");

        Assert.Equal([UncertaintySignals.Empty], estimate.Signals);
        Assert.Equal(0.7, estimate.Score, 3);
    }

    [Fact]
    public void Several_signals_add_a_little_and_stay_within_one()
    {
        var estimate = UncertaintyEstimator.FromText("Actually, I think I can't answer that; I'm not sure.", "Yes, I can.");

        Assert.Equal([UncertaintySignals.Hedging, UncertaintySignals.Refusal, UncertaintySignals.Contradiction], estimate.Signals);
        Assert.Equal(1.0, estimate.Score, 3);
    }

    [Fact]
    public void Scores_of_the_labelled_set_and_of_odd_inputs_stay_within_zero_and_one()
    {
        string[] odd = ["", ".", "?!?!", new('a', 10_000), string.Concat(Enumerable.Repeat("maybe ", 500)), "\u0000\uFFFF", "1.2.3.4"];
        foreach (var text in odd.Concat(LabelledOutputs.All.Select(o => o.Output)))
        {
            foreach (var previous in new[] { null, "Yes.", "42", text })
            {
                Assert.InRange(UncertaintyEstimator.FromText(text, previous).Score, 0, 1);
            }
        }
    }
}
