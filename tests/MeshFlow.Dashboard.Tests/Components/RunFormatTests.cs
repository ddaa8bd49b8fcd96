using MeshFlow.Dashboard.Components.Runs;

namespace MeshFlow.Dashboard.Tests.Components;

public sealed class RunFormatTests
{
    [Theory]
    [InlineData(0d, "0 ms")]
    [InlineData(849.6d, "850 ms")]
    [InlineData(12_345d, "12.3 s")]
    [InlineData(59_999d, "59.9 s")]
    [InlineData(245_000d, "4 m 05 s")]
    [InlineData(7_620_000d, "2 h 07 m")]
    public void Durations_read_in_the_unit_that_suits_them(double milliseconds, string expected) =>
        Assert.Equal(expected, RunFormat.Duration(milliseconds));

    [Theory]
    [InlineData(null)]
    [InlineData(-1d)]
    [InlineData(double.NaN)]
    public void A_duration_the_API_did_not_send_or_that_makes_no_sense_is_a_dash(double? milliseconds) =>
        Assert.Equal("—", RunFormat.Duration(milliseconds));

    [Fact]
    public void Costs_keep_fractions_of_a_cent_below_a_dollar_and_cents_above()
    {
        Assert.Equal("$0.0042", RunFormat.Cost(0.0042m));
        Assert.Equal("$0", RunFormat.Cost(0m));
        Assert.Equal("$1,234.57", RunFormat.Cost(1234.567m));
        Assert.Equal("—", RunFormat.Cost(null));
    }

    [Fact]
    public void Counts_group_thousands_and_a_missing_count_is_a_dash()
    {
        Assert.Equal("12,345", RunFormat.Count(12345));
        Assert.Equal("0", RunFormat.Count(0));
        Assert.Equal("—", RunFormat.Count(null));
    }

    [Fact]
    public void The_start_time_is_shown_in_utc_to_the_second()
    {
        var at = new DateTimeOffset(2026, 12, 7, 16, 4, 5, TimeSpan.FromHours(1));

        Assert.Equal("2026-12-07 15:04:05", RunFormat.Started(at));
    }
}
