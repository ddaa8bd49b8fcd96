using MeshFlow.Dashboard.ApiClient;

namespace MeshFlow.Dashboard.Components.RunDetail;

/// <summary>
/// Where each step's bar goes: its lane and its left edge and width as percentages of the run's time axis. Steps are
/// placed in start order (so loop passes read left to right); a step takes the first lane whose last bar has ended,
/// so steps that overlap in time (parallel branches) sit on separate lanes and sequential steps share one.
/// </summary>
public static class WaterfallLayout
{
    /// <summary>The narrowest bar drawn, in percent, so an instant step stays visible and clickable.</summary>
    public const double MinimumWidthPercent = 0.5;

    /// <summary>Lays out <paramref name="steps"/> (only step records count) from the first start to the last end.</summary>
    public static WaterfallPlan Plan(IEnumerable<TraceRecord> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var ordered = steps.Where(s => s.IsStep).OrderBy(s => s.Start).ThenBy(s => s.Seq).ToList();
        if (ordered.Count == 0)
        {
            return new WaterfallPlan([], 0, TimeSpan.Zero);
        }

        var origin = ordered[0].Start;
        var end = ordered.Max(s => s.Ts);
        var span = end - origin;
        var laneEnds = new List<DateTimeOffset>();
        var bars = new List<WaterfallBar>(ordered.Count);
        foreach (var step in ordered)
        {
            // Touching is not overlapping: a step that starts as the previous one ends follows it on the same lane.
            var lane = laneEnds.FindIndex(laneEnd => laneEnd <= step.Start);
            if (lane < 0)
            {
                lane = laneEnds.Count;
                laneEnds.Add(step.Ts);
            }
            else
            {
                laneEnds[lane] = step.Ts;
            }

            var left = Math.Min(Percent(step.Start - origin, span), 100 - MinimumWidthPercent);
            var width = Math.Min(Math.Max(MinimumWidthPercent, Percent(step.Ts - step.Start, span)), 100 - left);
            bars.Add(new WaterfallBar(step, lane, left, width));
        }

        return new WaterfallPlan(bars, laneEnds.Count, span);
    }

    // A run whose steps all took no time has no axis to scale by: every bar starts at the left edge.
    private static double Percent(TimeSpan part, TimeSpan whole) =>
        whole <= TimeSpan.Zero ? 0 : Math.Clamp(part.TotalMilliseconds / whole.TotalMilliseconds * 100, 0, 100);
}
