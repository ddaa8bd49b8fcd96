namespace MeshFlow.Dashboard.Components.Runs;

/// <summary>How far back the runs list reaches, by creation time.</summary>
public enum TimeWindow
{
    Any,
    LastHour,
    Last24Hours,
    Last7Days,
    Last30Days,
}
