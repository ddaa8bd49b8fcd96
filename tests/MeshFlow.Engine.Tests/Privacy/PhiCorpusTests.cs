using System.Globalization;
using MeshFlow.Privacy;

namespace MeshFlow.Tests.Privacy;

public sealed class PhiCorpusTests(ITestOutputHelper output)
{
    private const double StructuredRecall = 0.99;
    private const double NameRecall = 0.80;
    private const double OverallPrecision = 0.95;

    // Of the look-alike sentences, at most this share may hold any match.
    private const double LookAlikeTolerance = 0.02;

    [Fact]
    public void The_corpus_labels_at_least_500_identifiers_of_all_16_types_and_holds_200_look_alikes()
    {
        var score = PhiCorpusScore.Of(PhiCorpus.All);

        Assert.True(score.TotalLabels >= 500, $"{score.TotalLabels} identifiers");
        foreach (var type in Enum.GetValues<PhiType>())
        {
            Assert.True(score.Labels(type) >= 20, $"{type}: {score.Labels(type)} identifiers");
        }

        Assert.True(score.LookAlikes >= 200, $"{score.LookAlikes} look-alikes");
    }

    [Fact]
    public void The_corpus_is_the_same_for_the_same_seed()
    {
        var again = PhiCorpus.Build(PhiCorpus.Seed);

        Assert.Equal(PhiCorpus.All.Select(sample => sample.Text), again.Select(sample => sample.Text));
    }

    [Fact]
    public void Structured_identifiers_are_recalled_at_99_percent_names_at_80_and_matches_are_95_percent_precise()
    {
        var score = PhiCorpusScore.Of(PhiCorpus.All);
        var report = "# PHI scrubber on the synthetic corpus\n\n" + Invariant($"Seed {PhiCorpus.Seed}, {PhiCorpus.All.Count} samples.\n\n")
            + score.Table();
        output.WriteLine(report);
        foreach (var line in score.Misses.Concat(score.FalsePositives.Select(fp => "false positive: " + fp)))
        {
            output.WriteLine(line);
        }

        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "phi-corpus-report.md"), report);

        foreach (var type in Enum.GetValues<PhiType>().Where(type => type != PhiType.Name))
        {
            Assert.True(score.Recall(type) >= StructuredRecall, Invariant($"{type} recall {score.Recall(type):0.000}"));
        }

        Assert.True(score.Recall(PhiType.Name) >= NameRecall, Invariant($"name recall {score.Recall(PhiType.Name):0.000}"));
        Assert.True(score.OverallPrecision >= OverallPrecision, Invariant($"precision {score.OverallPrecision:0.000}"));
    }

    [Fact]
    public void Look_alikes_almost_never_match()
    {
        var score = PhiCorpusScore.Of(PhiCorpus.All);

        Assert.True(score.LookAlikesWithMatches <= LookAlikeTolerance * score.LookAlikes,
            Invariant($"{score.LookAlikesWithMatches} of {score.LookAlikes} look-alikes matched"));
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
