using System.Globalization;
using MeshFlow.Governance.Uncertainty;

namespace MeshFlow.Tests.Governance.Uncertainty;

public sealed class UncertaintyAccuracyTests(ITestOutputHelper output)
{
    private const double Threshold = 0.5;

    [Fact]
    public void The_text_heuristic_classifies_at_least_85_percent_of_the_labelled_outputs()
    {
        var correct = 0;
        foreach (var (label, text) in LabelledOutputs.All)
        {
            var estimate = UncertaintyEstimator.FromText(text, previousOutput: null);
            var uncertain = estimate.Score >= Threshold;
            var expected = label != LabelledOutputs.Confident;
            if (uncertain == expected)
            {
                correct++;
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"miss ({label}, scored {estimate.Score:0.00} [{string.Join(',', estimate.Signals)}]): {text}"));
            }
        }

        var total = LabelledOutputs.All.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"uncertainty heuristic: {correct}/{total} correct ({100.0 * correct / total:0.0}%)"));
        Assert.True(correct >= 0.85 * total, $"{correct}/{total} correct");
    }

    [Fact]
    public void The_labelled_set_holds_at_least_twelve_outputs_of_each_kind()
    {
        Assert.True(LabelledOutputs.All.Length >= 40);
        foreach (var label in new[] { LabelledOutputs.Confident, LabelledOutputs.Hedging, LabelledOutputs.Refusing })
        {
            Assert.True(LabelledOutputs.All.Count(o => o.Label == label) >= 12, label);
        }
    }
}
