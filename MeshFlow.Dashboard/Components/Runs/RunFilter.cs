namespace MeshFlow.Dashboard.Components.Runs;

/// <summary>The runs list's filters, and the API query they make for a page.</summary>
public sealed record RunFilter
{
    /// <summary>How many runs a page shows.</summary>
    public const int PageSize = 25;

    /// <summary>The statuses a run can have, in the order the filter offers them.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["queued", "running", "paused", "completed", "failed", "cancelled"];

    public string? Status { get; init; }

    public string? Workflow { get; init; }

    public TimeWindow Window { get; init; } = TimeWindow.Any;

    /// <summary>The query for the page at <paramref name="cursor"/> (null: the first), with the window counted back from <paramref name="now"/>.</summary>
    public ApiClient.RunListQuery ToQuery(DateTimeOffset now, string? cursor) => new()
    {
        Status = string.IsNullOrWhiteSpace(Status) ? null : Status,
        Workflow = string.IsNullOrWhiteSpace(Workflow) ? null : Workflow.Trim(),
        CreatedAfter = Window switch
        {
            TimeWindow.LastHour => now.AddHours(-1),
            TimeWindow.Last24Hours => now.AddDays(-1),
            TimeWindow.Last7Days => now.AddDays(-7),
            TimeWindow.Last30Days => now.AddDays(-30),
            _ => null,
        },
        Limit = PageSize,
        Cursor = cursor,
    };

    /// <summary>The filter's label for a time window.</summary>
    public static string Describe(TimeWindow window) => window switch
    {
        TimeWindow.LastHour => "Last hour",
        TimeWindow.Last24Hours => "Last 24 hours",
        TimeWindow.Last7Days => "Last 7 days",
        TimeWindow.Last30Days => "Last 30 days",
        _ => "Any time",
    };
}
