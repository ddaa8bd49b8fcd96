using System.Globalization;

namespace MeshFlow.Cli.Output;

/// <summary>How numbers, costs, times and durations read in tables and run summaries (invariant culture).</summary>
internal static class Formats
{
    public static string Cost(decimal usd) => usd.ToString(usd is > 0 and < 0.01m ? "$0.000000" : "$0.0000", CultureInfo.InvariantCulture);

    public static string Tokens(long tokens) => tokens.ToString("N0", CultureInfo.InvariantCulture);

    public static string Duration(double milliseconds) => milliseconds switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0} ms"),
        < 60_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1_000:0.0} s"),
        < 3_600_000 => string.Create(CultureInfo.InvariantCulture, $"{(int)(milliseconds / 60_000)}m{(int)(milliseconds / 1_000 % 60):00}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)(milliseconds / 3_600_000)}h{(int)(milliseconds / 60_000 % 60):00}m"),
    };

    public static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Uncertainty(double? score) => score is { } value ? value.ToString("0.00", CultureInfo.InvariantCulture) : "";
}
