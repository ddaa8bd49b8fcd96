using System.Diagnostics;
using System.Globalization;
using System.Text;
using MeshFlow.Governance.Guardian;

namespace MeshFlow.Tests.Governance.Guardian;

[Collection(typeof(TimedAlone))]
public sealed class InjectionCorpusTests(ITestOutputHelper output)
{
    private static readonly string[] s_signals =
    [
        InjectionSignals.IgnoreInstructions, InjectionSignals.RoleOverride, InjectionSignals.PromptBoundary,
        InjectionSignals.HiddenToolCall, InjectionSignals.InvisibleUnicode, InjectionSignals.HtmlComment,
        InjectionSignals.ExfiltrationRequest,
    ];

    [Fact]
    public void The_corpus_has_at_least_200_injections_and_200_benign_texts_covering_every_signal()
    {
        Assert.True(InjectionCorpus.All.Count(c => c.IsInjection) >= 200);
        Assert.True(InjectionCorpus.All.Count(c => !c.IsInjection) >= 200);
        foreach (var signal in s_signals)
        {
            Assert.True(InjectionCorpus.All.Count(c => c.ExpectedSignal == signal) >= 30, signal);
        }
    }

    [Fact]
    public void The_scanner_detects_at_least_95_percent_of_injections_with_at_most_5_percent_false_positives()
    {
        var corpus = Score(InjectionCorpus.All);
        var heldOut = Score(HeldOutCases.HeldOut);
        var fresh = Score(HeldOutCases.Fresh);

        var report = new StringBuilder();
        report.AppendLine("# Guardian injection corpus").AppendLine();
        report.AppendLine("The corpus (asserted on). The scanner was tuned on it; its hard cases were written before tuning.").AppendLine();
        corpus.Write(report);
        report.AppendLine("## Held-out set").AppendLine();
        report.AppendLine("Written after tuning on the corpus. Measured once before any change: 30/60 injections detected (50.0 %),");
        report.AppendLine("8/50 benign flagged (16.0 %). Then used for one generalization pass (its benign texts were not tuned for):").AppendLine();
        heldOut.Write(report);
        report.AppendLine("## Fresh set").AppendLine();
        report.AppendLine("Written after that pass; not tuned on.").AppendLine();
        fresh.Write(report);
        report.AppendLine("## Timing").AppendLine();
        report.AppendLine(Timing());

        var text = report.ToString();
        output.WriteLine(text);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "guardian-corpus-report.md"), text);

        Assert.True(corpus.DetectionRate >= 0.95, Invariant($"detection {corpus.DetectionRate:P1}"));
        Assert.True(corpus.FalsePositiveRate <= 0.05, Invariant($"false positives {corpus.FalsePositiveRate:P1}"));
    }

    private static Scores Score(IReadOnlyList<CorpusCase> cases)
    {
        var scores = new Scores();
        foreach (var corpusCase in cases)
        {
            var findings = InjectionScanner.ScanAll(corpusCase.Text);
            if (!corpusCase.IsInjection)
            {
                scores.Benign++;
                if (findings.Count > 0)
                {
                    scores.FalsePositives.Add($"{corpusCase.Name}: {Describe(findings, corpusCase.Text)}");
                }

                continue;
            }

            var signal = corpusCase.ExpectedSignal!;
            scores.Total[signal] = scores.Total.GetValueOrDefault(signal) + 1;
            scores.Flagged += findings.Count > 0 ? 1 : 0;
            if (findings.Any(f => f.Signal == signal))
            {
                scores.Detected[signal] = scores.Detected.GetValueOrDefault(signal) + 1;
            }
            else
            {
                scores.Misses.Add($"{corpusCase.Name}: {(findings.Count == 0 ? "nothing" : Describe(findings, corpusCase.Text))}");
            }
        }

        return scores;
    }

    // Medians of repeated scans of two 10 KB pages, for the report only: tests do not assert on wall time.
    private static string Timing()
    {
        var review = Page(
            "The Widget 3000 ships with a two-year warranty and a USB-C charger. Customers rate it 4.2 out of 5 on average.",
            "We spent two weeks with the device. Battery life is average; the screen is bright. See https://example.com/review.");
        var lookAlikes = Page([.. BenignTexts.Everyday, .. BenignTexts.Tools, .. BenignTexts.Sending]);
        var leaks = new LeakScanner(["configured-secret-1"], ["example.com"]);
        return Invariant($"""
            10 KB pages, median of 300 scans after 300 warm-up scans (Release, this machine, not a benchmark):

            | page | InjectionScanner.ScanAll | LeakScanner.Find |
            |---|---:|---:|
            | product review | {Median(() => InjectionScanner.ScanAll(review)):0} µs | {Median(() => leaks.Find(review)):0} µs |
            | benign look-alikes only | {Median(() => InjectionScanner.ScanAll(lookAlikes)):0} µs | {Median(() => leaks.Find(lookAlikes)):0} µs |
            """);
    }

    private static string Page(params string[] paragraphs)
    {
        var page = new StringBuilder();
        for (var i = 0; page.Length < 10 * 1024; i++)
        {
            page.Append("<p>").Append(paragraphs[i % paragraphs.Length]).Append("</p>\n");
        }

        return page.ToString(0, 10 * 1024);
    }

    private static double Median(Action scan)
    {
        // Enough warm-up for tiered compilation to reach the optimized code.
        var times = new double[300];
        for (var i = 0; i < 300; i++)
        {
            scan();
        }

        for (var i = 0; i < times.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            scan();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }

    private static string Describe(IReadOnlyList<InjectionFinding> findings, string text) =>
        string.Join("; ", findings.Take(3).Select(f => $"{f.Signal} \"{f.Excerpt(text).ReplaceLineEndings(" ")}\""));

    private static string Rate(int part, int whole) => whole == 0 ? "-" : Invariant($"{(double)part / whole:P1}");

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class Scores
    {
        public Dictionary<string, int> Total { get; } = [];

        public Dictionary<string, int> Detected { get; } = [];

        public List<string> Misses { get; } = [];

        public List<string> FalsePositives { get; } = [];

        public int Flagged { get; set; }

        public int Benign { get; set; }

        public double DetectionRate => (double)Detected.Values.Sum() / Total.Values.Sum();

        public double FalsePositiveRate => (double)FalsePositives.Count / Benign;

        public void Write(StringBuilder report)
        {
            var injections = Total.Values.Sum();
            report.AppendLine(Invariant($"{injections} injection cases, {Benign} benign cases.")).AppendLine();
            report.AppendLine("| signal | cases | detected (expected signal) | rate |").AppendLine("|---|---:|---:|---:|");
            foreach (var signal in s_signals)
            {
                var total = Total.GetValueOrDefault(signal);
                var detected = Detected.GetValueOrDefault(signal);
                report.AppendLine(Invariant($"| {signal} | {total} | {detected} | {Rate(detected, total)} |"));
            }

            report.AppendLine(Invariant($"| **all** | {injections} | {Detected.Values.Sum()} | {DetectionRate:P1} |")).AppendLine();
            report.AppendLine(Invariant($"Injections flagged with any signal: {Flagged}/{injections} ({(double)Flagged / injections:P1})."));
            report.AppendLine(Invariant($"False positives: {FalsePositives.Count}/{Benign} ({FalsePositiveRate:P1}).")).AppendLine();
            report.AppendLine("Missed injections:").AppendLine();
            Misses.ForEach(m => report.AppendLine("- " + m));
            report.AppendLine().AppendLine("False positives:").AppendLine();
            FalsePositives.ForEach(f => report.AppendLine("- " + f));
            report.AppendLine();
        }
    }
}
