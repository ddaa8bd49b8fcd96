using MeshFlow.Dashboard.ApiClient;

namespace MeshFlow.Dashboard.Components.RunDetail;

/// <summary>One step's bar: its lane (0 is the top) and its left edge and width, in percent of the time axis.</summary>
public sealed record WaterfallBar(TraceRecord Step, int Lane, double LeftPercent, double WidthPercent);
