using MeshFlow.Dashboard.ApiClient;

namespace MeshFlow.Dashboard.Tests.RunDetail;

/// <summary>Step records on a time line measured in milliseconds from a fixed origin.</summary>
internal static class Steps
{
    public static readonly DateTimeOffset Origin = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A step that ran from <paramref name="startMs"/> to <paramref name="endMs"/>: its record is written at the end.</summary>
    public static TraceRecord Step(string stepId, double startMs, double endMs, string? verdict = "commit", long seq = 0) =>
        new(seq, stepId, stepId.Split(':')[0], "agent", "step", null, null, verdict, null, 0, 0, endMs - startMs, verdict == "blocked", null, false,
            Origin.AddMilliseconds(endMs));
}
