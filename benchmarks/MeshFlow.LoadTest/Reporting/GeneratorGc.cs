using System.Globalization;
using System.Runtime;

namespace MeshFlow.LoadTest.Reporting;

/// <summary>
/// The load generator's own garbage collections during a measurement. The generator stamps every read with the
/// moment it returned: while its GC has every thread stopped, the reads wait, and every stream's latency grows at
/// once, though neither the services nor the network were slow. This says how much of a tail that can explain, and
/// for the relay's passes holds the generator's collections off for the window (<see cref="HoldOff"/>).
/// </summary>
internal sealed class GeneratorGc
{
    private readonly TimeSpan _pausedBefore = GC.GetTotalPauseDuration();
    private readonly int[] _countsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly long _heldOff;

    private GeneratorGc(long heldOff) => _heldOff = heldOff;

    /// <summary>
    /// Starts a no-GC region large enough for <paramref name="window"/> of the generator's allocations (16 MB a second;
    /// it allocates 2 to 5 here), so that none of its collections stops the clients' reads in the window, and counts
    /// the collections from then on. Starting the region collects once, so it runs before the window opens.
    /// </summary>
    public static GeneratorGc HoldOff(TimeSpan window)
    {
        var size = Math.Min(1L << 30, (64L << 20) + (long)(window.TotalSeconds * (16 << 20)));
        try
        {
            return new GeneratorGc(GC.TryStartNoGCRegion(size) ? size : 0);
        }
        catch (ArgumentOutOfRangeException)
        {
            return new GeneratorGc(0); // more than this runtime grants: the generator collects as usual
        }
    }

    /// <summary>One line: collections by generation and the time they had the generator stopped.</summary>
    public string Stop()
    {
        // Still in the region: none of the generator's allocations needed a collection. Otherwise the region ended at
        // the collection that its running out caused, which the counts below include.
        var held = _heldOff > 0 && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
        if (held)
        {
            GC.EndNoGCRegion();
        }

        var paused = GC.GetTotalPauseDuration() - _pausedBefore;
        var counts = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - _countsBefore[g]).ToArray();
        var total = counts[0];
        var average = total > 0
            ? string.Create(CultureInfo.InvariantCulture, $", {paused.TotalMilliseconds / total:F2} ms each on average")
            : string.Empty;
        var region = _heldOff == 0 ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" (held off by a no-GC region of {_heldOff >> 20} MB, {(held ? "enough for the window" : "which ran out")})");
        return string.Create(CultureInfo.InvariantCulture,
            $"the generator's own GC: {total} collections (gen1 {counts[1]}, gen2 {counts[2]}), paused {paused.TotalMilliseconds:F1} ms in all{average}{region}");
    }
}
