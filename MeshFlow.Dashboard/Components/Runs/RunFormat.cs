using System.Globalization;

namespace MeshFlow.Dashboard.Components.Runs;

/// <summary>How the runs list writes its numbers; a value the API did not send is "—".</summary>
public static class RunFormat
{
    public const string Missing = "—";

    /// <summary>850 ms, 12.3 s, 4 m 05 s, 2 h 07 m.</summary>
    public static string Duration(double? milliseconds)
    {
        if (milliseconds is not { } ms || double.IsNaN(ms) || ms < 0)
        {
            return Missing;
        }

        if (ms < 1000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(ms):0} ms");
        }

        var span = TimeSpan.FromMilliseconds(ms);
        return span.TotalSeconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(span.TotalSeconds * 10) / 10:0.0} s")
            : span.TotalMinutes < 60
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} m {span.Seconds:00} s")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} m");
    }

    /// <summary>$0.0042 under a dollar (a step costs fractions of a cent), $12.35 above.</summary>
    public static string Cost(decimal? usd) => usd switch
    {
        null => Missing,
        0m => "$0",
        < 1m => string.Create(CultureInfo.InvariantCulture, $"${usd:0.0000}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"${usd:#,0.00}"),
    };

    /// <summary>12,345.</summary>
    public static string Count(long? value) =>
        value is { } count ? count.ToString("#,0", CultureInfo.InvariantCulture) : Missing;

    /// <summary>The start time in UTC, to the second: 2026-12-07 15:04:05.</summary>
    public static string Started(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
