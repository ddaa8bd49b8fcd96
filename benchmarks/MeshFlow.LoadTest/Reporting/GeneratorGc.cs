using System.Globalization;

namespace MeshFlow.LoadTest.Reporting;

/// <summary>
/// The load generator's own garbage collections during a measurement. The generator stamps every read with the
/// moment it returned: while its GC has every thread stopped, the reads wait, and every stream's latency grows at
/// once, though neither the services nor the network were slow. This says how much of a tail that can explain.
/// </summary>
internal sealed class GeneratorGc
{
    private readonly TimeSpan _pausedBefore = GC.GetTotalPauseDuration();
    private readonly int[] _countsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    private GeneratorGc()
    {
    }

    public static GeneratorGc Start() => new();

    /// <summary>One line: collections by generation and the time they had the generator stopped.</summary>
    public string Stop()
    {
        var paused = GC.GetTotalPauseDuration() - _pausedBefore;
        var counts = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - _countsBefore[g]).ToArray();
        var total = counts[0];
        var average = total > 0
            ? string.Create(CultureInfo.InvariantCulture, $", {paused.TotalMilliseconds / total:F2} ms each on average")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"the generator's own GC: {total} collections (gen1 {counts[1]}, gen2 {counts[2]}), paused {paused.TotalMilliseconds:F1} ms in all{average}");
    }
}
