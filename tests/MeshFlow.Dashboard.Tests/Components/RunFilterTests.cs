using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Components.Runs;

namespace MeshFlow.Dashboard.Tests.Components;

public sealed class RunFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void No_filter_asks_only_for_a_page()
    {
        Assert.Equal($"/runs?limit={RunFilter.PageSize}", new RunFilter().ToQuery(Now, cursor: null).ToRelativeUri());
    }

    [Fact]
    public void Each_filter_becomes_its_query_parameter()
    {
        var filter = new RunFilter { Status = "failed", Workflow = " review ", Window = TimeWindow.LastHour };

        Assert.Equal(
            "/runs?status=failed&workflow=review&created_after=2026-12-07T14%3A00%3A00Z&limit=25",
            filter.ToQuery(Now, cursor: null).ToRelativeUri());
    }

    [Theory]
    [InlineData(TimeWindow.Last24Hours, "2026-12-06T15:00:00Z")]
    [InlineData(TimeWindow.Last7Days, "2026-11-30T15:00:00Z")]
    [InlineData(TimeWindow.Last30Days, "2026-11-07T15:00:00Z")]
    public void A_time_window_counts_back_from_now(TimeWindow window, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            new RunFilter { Window = window }.ToQuery(Now, null).CreatedAfter);

    [Fact]
    public void Empty_choices_are_left_out_and_the_cursor_is_escaped()
    {
        var query = new RunFilter { Status = "", Workflow = "  " }.ToQuery(Now, cursor: "a+b/c=");

        Assert.Equal("/runs?limit=25&cursor=a%2Bb%2Fc%3D", query.ToRelativeUri());
    }

    [Fact]
    public void A_workflow_name_with_reserved_characters_is_escaped()
    {
        Assert.Equal("/runs?workflow=a%26status%3Dx", new RunListQuery { Workflow = "a&status=x" }.ToRelativeUri());
    }
}
