namespace MeshFlow.Dashboard.Components.RunDetail;

/// <summary>The waterfall's bars, how many lanes they need, and the time the axis spans.</summary>
public sealed record WaterfallPlan(IReadOnlyList<WaterfallBar> Bars, int Lanes, TimeSpan Span);
