using System.Globalization;

namespace MeshFlow.LoadTest.Reporting;

/// <summary>Median, p99 and max of a set of samples (nearest rank), in milliseconds.</summary>
internal readonly record struct LatencySummary(int Count, double Median, double P90, double P99, double Max)
{
    public static LatencySummary Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0
            ? default
            : new LatencySummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1]);
    }

    public override string ToString() => Count == 0
        ? "no samples"
        : string.Create(CultureInfo.InvariantCulture, $"median {Median:F3} ms, p90 {P90:F3} ms, p99 {P99:F3} ms, max {Max:F3} ms (n={Count:N0})");

    private static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
