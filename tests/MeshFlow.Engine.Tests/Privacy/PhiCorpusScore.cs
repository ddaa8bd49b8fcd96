using System.Globalization;
using System.Text;
using MeshFlow.Privacy;

namespace MeshFlow.Tests.Privacy;

/// <summary>
/// Span-level precision and recall of <see cref="PhiScrubber.Find(string)"/> over the corpus, per type: a match is
/// right when it overlaps a labelled identifier of its type, and a labelled identifier is found when a match of its
/// type overlaps it. How many were found with exactly their labelled span is counted too.
/// </summary>
internal sealed class PhiCorpusScore
{
    private readonly int[] _labels = new int[TypeCount];
    private readonly int[] _recalled = new int[TypeCount];
    private readonly int[] _exact = new int[TypeCount];
    private readonly int[] _matches = new int[TypeCount];
    private readonly int[] _correct = new int[TypeCount];
    private readonly List<string> _misses = [];
    private readonly List<string> _falsePositives = [];

    private static int TypeCount => Enum.GetValues<PhiType>().Length;

    public int LookAlikes { get; private set; }

    public int LookAlikeMatches { get; private set; }

    public int LookAlikesWithMatches { get; private set; }

    public IReadOnlyList<string> Misses => _misses;

    public IReadOnlyList<string> FalsePositives => _falsePositives;

    public static PhiCorpusScore Of(IReadOnlyList<PhiSample> samples)
    {
        var score = new PhiCorpusScore();
        foreach (var sample in samples)
        {
            score.Add(sample, PhiScrubber.Find(sample.Text));
        }

        return score;
    }

    public int Labels(PhiType type) => _labels[(int)type];

    public double Recall(PhiType type) => _labels[(int)type] == 0 ? 1 : (double)_recalled[(int)type] / _labels[(int)type];

    public double Precision(PhiType type) => _matches[(int)type] == 0 ? 1 : (double)_correct[(int)type] / _matches[(int)type];

    public double OverallPrecision => _matches.Sum() == 0 ? 1 : (double)_correct.Sum() / _matches.Sum();

    public double OverallRecall => (double)_recalled.Sum() / _labels.Sum();

    public int TotalLabels => _labels.Sum();

    public string Table()
    {
        var table = new StringBuilder();
        table.AppendLine("| Type | Labelled | Found | Exact span | Matches | Correct | Precision | Recall |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var type in Enum.GetValues<PhiType>())
        {
            var i = (int)type;
            table.AppendLine(Invariant(
                $"| {PhiScrubber.Marker(type)[14..^1]} | {_labels[i]} | {_recalled[i]} | {_exact[i]} | {_matches[i]} | {_correct[i]} | {Precision(type):0.000} | {Recall(type):0.000} |"));
        }

        table.AppendLine(Invariant(
            $"| **all** | {_labels.Sum()} | {_recalled.Sum()} | {_exact.Sum()} | {_matches.Sum()} | {_correct.Sum()} | {OverallPrecision:0.000} | {OverallRecall:0.000} |"));
        table.AppendLine();
        table.AppendLine(Invariant(
            $"Look-alike sentences: {LookAlikes}; with any match: {LookAlikesWithMatches}; matches in them: {LookAlikeMatches}."));
        return table.ToString();
    }

    private void Add(PhiSample sample, IReadOnlyList<PhiMatch> found)
    {
        foreach (var label in sample.Labels)
        {
            _labels[(int)label.Type]++;
            if (found.Any(match => match.Type == label.Type && Overlaps(match, label)))
            {
                _recalled[(int)label.Type]++;
                _exact[(int)label.Type] += found.Contains(label) ? 1 : 0;
            }
            else
            {
                _misses.Add($"{label.Type} '{Slice(sample.Text, label)}' (found: {Describe(sample.Text, found)}) in: {sample.Text}");
            }
        }

        foreach (var match in found)
        {
            _matches[(int)match.Type]++;
            if (sample.Labels.Any(label => label.Type == match.Type && Overlaps(match, label)))
            {
                _correct[(int)match.Type]++;
            }
            else
            {
                _falsePositives.Add($"{match.Type} '{Slice(sample.Text, match)}' in: {sample.Text}");
            }
        }

        if (sample.IsLookAlike)
        {
            LookAlikes++;
            LookAlikeMatches += found.Count;
            LookAlikesWithMatches += found.Count > 0 ? 1 : 0;
        }
    }

    private static bool Overlaps(PhiMatch a, PhiMatch b) => a.Start < b.Start + b.Length && b.Start < a.Start + a.Length;

    private static string Slice(string text, PhiMatch span) => text.Substring(span.Start, span.Length);

    private static string Describe(string text, IReadOnlyList<PhiMatch> found) =>
        string.Join(", ", found.Select(match => $"{match.Type} '{Slice(text, match)}'"));

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
