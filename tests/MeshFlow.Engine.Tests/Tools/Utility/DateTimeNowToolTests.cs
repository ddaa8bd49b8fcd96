using System.Text.Json;
using MeshFlow.Tools.Utility;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Tests.Tools.Utility;

public sealed class DateTimeNowToolTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 21, 1, 2, TimeSpan.Zero));

    private async Task<JsonElement> Now(string? zone)
    {
        var tool = new DateTimeNowTool(_time);
        var arguments = new Dictionary<string, object?>();
        if (zone is not null)
        {
            arguments["timezone"] = zone;
        }

        using var document = JsonDocument.Parse(await tool.CallAsync(arguments));
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData(null, "2026-12-07T21:01:02+00:00", "UTC")]
    [InlineData("Europe/Paris", "2026-12-07T22:01:02+01:00", "Europe/Paris")]
    [InlineData("America/New_York", "2026-12-07T16:01:02-05:00", "America/New_York")]
    [InlineData("Asia/Kolkata", "2026-12-08T02:31:02+05:30", "Asia/Kolkata")]
    [InlineData("Australia/Sydney", "2026-12-08T08:01:02+11:00", "Australia/Sydney")]
    public async Task The_time_is_given_in_the_zone_with_its_offset_and_in_UTC(string? zone, string iso, string name)
    {
        var now = await Now(zone);
        Assert.Equal(iso, now.GetProperty("iso").GetString());
        Assert.Equal(name, now.GetProperty("timezone").GetString());
        Assert.Equal("2026-12-07T21:01:02Z", now.GetProperty("utc").GetString());
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 21, 1, 2, TimeSpan.Zero).ToUnixTimeSeconds(), now.GetProperty("unix").GetInt64());
    }

    [Fact]
    public async Task Daylight_saving_time_changes_the_offset()
    {
        // Paris moves its clocks forward at 01:00 UTC on the last Sunday of March.
        _time.Advance(new DateTimeOffset(2027, 3, 28, 0, 59, 59, TimeSpan.Zero) - _time.GetUtcNow());
        Assert.Equal("2027-03-28T01:59:59+01:00", (await Now("Europe/Paris")).GetProperty("iso").GetString());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("2027-03-28T03:00:00+02:00", (await Now("Europe/Paris")).GetProperty("iso").GetString());

        _time.Advance(new DateTimeOffset(2027, 7, 1, 12, 0, 0, TimeSpan.Zero) - _time.GetUtcNow());
        Assert.Equal("2027-07-01T14:00:00+02:00", (await Now("Europe/Paris")).GetProperty("iso").GetString());
        Assert.Equal("2027-07-01T08:00:00-04:00", (await Now("America/New_York")).GetProperty("iso").GetString());
        Assert.Equal("2027-07-01T22:00:00+10:00", (await Now("Australia/Sydney")).GetProperty("iso").GetString());
    }

    [Fact]
    public async Task An_unknown_zone_is_refused_by_name()
    {
        var message = await new DateTimeNowTool(_time).RefusedAsync(new Dictionary<string, object?> { ["timezone"] = "Mars/Olympus_Mons" });
        Assert.Contains("unknown time zone 'Mars/Olympus_Mons'", message, StringComparison.Ordinal);
    }
}
